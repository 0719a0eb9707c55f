export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function min(xs: number[]): number {
  return xs.length ? Math.min(...xs) : NaN;
}

export function max(xs: number[]): number {
  return xs.length ? Math.max(...xs) : NaN;
}

export const kB = (b: number): string => (Number.isFinite(b) ? (b / 1000).toFixed(2) : 'n/a');
export const signedKB = (b: number): string => (Number.isFinite(b) ? `${b >= 0 ? '+' : ''}${(b / 1000).toFixed(2)}` : 'n/a');
export const ms = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
