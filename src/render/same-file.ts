import { ts } from '../ts/typescript';

/**
 * The code with what formatters change taken out (white space, commas, semicolons, parentheses,
 * quote style). Angular CLI 21.2+ and 22 run the workspace's prettier over every file a schematic
 * writes, so a file written by an earlier run may differ from the template in formatting only.
 */
function formatInsensitive(code: string): string {
  return code.replace(/[\s,;()]/g, '').replace(/["`]/g, "'");
}

const SCRIPT = /\.[cm]?[jt]s$/;

/**
 * TypeScript as the compiler prints it: what prettier's options (print width, union line breaks
 * with a leading `|`, trailing commas, quotes, parentheses) change in the text is printed one way.
 */
function printed(code: string, path: string): string {
  const source = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, false, path.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: false }).printFile(source);
}

/** True when `existing` is `written`, reformatted or not (by any prettier configuration). */
export function isSameFile(existing: Buffer, written: Buffer, path = ''): boolean {
  if (existing.equals(written)) {
    return true;
  }
  const a = existing.toString();
  const b = written.toString();
  if (formatInsensitive(a) === formatInsensitive(b)) {
    return true;
  }
  return SCRIPT.test(path) && formatInsensitive(printed(a, path)) === formatInsensitive(printed(b, path));
}
