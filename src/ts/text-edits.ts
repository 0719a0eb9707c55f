/** An insertion into a file's original text. */
export interface Edit {
  pos: number;
  text: string;
}

/** The text with every edit applied; edits at the same position keep their order. */
export function applyEdits(text: string, edits: Edit[]): string {
  const ordered = edits.map((edit, index) => ({ edit, index }))
    .sort((a, b) => b.edit.pos - a.edit.pos || b.index - a.index);
  return ordered.reduce((out, { edit }) => out.slice(0, edit.pos) + edit.text + out.slice(edit.pos), text);
}

/** The file's line ending: CRLF when it has one, else LF. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Where the line holding `pos` ends (before its line break). */
export function lineEnd(text: string, pos: number): number {
  const match = /\r?\n/.exec(text.slice(pos));
  return match ? pos + match.index : text.length;
}

/** The white space that starts the line holding `pos`. */
export function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/**
 * Where to put a new line after `pos`: the end of its line when only white space follows there,
 * else `pos` itself (the new line then splits the old one before what follows).
 */
export function afterLine(text: string, pos: number): number {
  const end = lineEnd(text, pos);
  return text.slice(pos, end).trim() === '' ? end : pos;
}
