/**
 * Where to go after sign-in: a path of this app only (`/orders?id=1`), never another site. Anything
 * else (`https://evil.example`, `//evil.example`, `/\evil.example`, control characters) gives `/`.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2048) return '/';
  if (/^\/[/\\]/.test(value) || /\p{Cc}|\\/u.test(value)) return '/';
  const url = new URL(value, 'https://app.invalid');
  return url.origin === 'https://app.invalid' ? `${url.pathname}${url.search}${url.hash}` : '/';
}
