// Bytes of a generated file per original source, from its source map (source-map v3 "mappings":
// base64 VLQ). Each mapped segment owns the bytes up to the next segment on its line; bytes before a
// line's first segment, and segments without a source, count as "(unmapped)".
import { readFileSync } from 'node:fs';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

function decodeSegment(seg: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of seg) {
    const d = DIGIT.get(c);
    if (d === undefined) throw new Error(`bad VLQ character ${c}`);
    value += (d & 31) << shift;
    if (d & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** { source path: bytes } for one generated file and its map. Lengths are in UTF-8 bytes. */
export function bytesPerSource(jsFile: string, mapFile: string): Record<string, number> {
  const code = readFileSync(jsFile, 'utf8').replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '');
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const sources: string[] = map.sources ?? [];
  const lines = code.split('\n');
  const rows: string[] = (map.mappings as string).split(';');
  const out: Record<string, number> = {};
  const add = (k: string, n: number) => { if (n > 0) out[k] = (out[k] ?? 0) + n; };
  let srcIdx = 0;
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l];
    const segs = (rows[l] ?? '').split(',').filter(Boolean);
    let col = 0;
    const marks: { col: number; src: number | null }[] = [];
    for (const s of segs) {
      const f = decodeSegment(s);
      col += f[0];
      if (f.length >= 4) {
        srcIdx += f[1];
        marks.push({ col, src: srcIdx });
      } else {
        marks.push({ col, src: null });
      }
    }
    // Columns are UTF-16 code units; count bytes per slice.
    const bytes = (a: number, b: number) => Buffer.byteLength(line.slice(a, b));
    if (!marks.length) { add('(unmapped)', bytes(0, line.length) + 1); continue; }
    add('(unmapped)', bytes(0, marks[0].col));
    for (let i = 0; i < marks.length; i++) {
      const end = i + 1 < marks.length ? marks[i + 1].col : line.length;
      const m = marks[i];
      add(m.src === null ? '(unmapped)' : sources[m.src] ?? '(unmapped)', bytes(m.col, end));
    }
    add('(unmapped)', 1); // the newline
  }
  return out;
}

export interface ParsedMap {
  sources: string[];
  /** Per generated line: segments (column, source index or null), by column. */
  lines: { col: number; src: number | null }[][];
}

export function parseMap(mapFile: string): ParsedMap {
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const lines: ParsedMap['lines'] = [];
  let srcIdx = 0;
  for (const row of (map.mappings as string).split(';')) {
    let col = 0;
    const marks: { col: number; src: number | null }[] = [];
    for (const s of row.split(',').filter(Boolean)) {
      const f = decodeSegment(s);
      col += f[0];
      if (f.length >= 4) {
        srcIdx += f[1];
        marks.push({ col, src: srcIdx });
      } else marks.push({ col, src: null });
    }
    lines.push(marks);
  }
  return { sources: map.sources ?? [], lines };
}

/** Original source of a generated position (0-based line and column), or null. */
export function sourceAt(m: ParsedMap, line: number, col: number): string | null {
  const marks = m.lines[line];
  if (!marks?.length) return null;
  let lo = 0;
  let hi = marks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid].col <= col) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (found < 0) return null;
  const src = marks[found].src;
  return src === null ? null : m.sources[src] ?? null;
}
