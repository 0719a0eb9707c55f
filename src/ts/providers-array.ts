import { afterLine, Edit, eolOf, lineIndent } from './text-edits';
import { ts, TS } from './typescript';

function lineOf(source: TS.SourceFile, pos: number): number {
  return source.getLineAndCharacterOfPosition(pos).line;
}

/** `[]` gains the element inside; an empty array over several lines gets it on a line of its own. */
function intoEmpty(source: TS.SourceFile, array: TS.ArrayLiteralExpression, element: string): Edit[] {
  const text = source.text;
  const open = array.getStart(source) + 1;
  const close = array.end - 1;
  if (!/[^ \t]/.test(text.slice(open, close))) {
    return [{ pos: open, text: element }];
  }
  const indent = lineIndent(text, close);
  const closeLineStart = text.lastIndexOf('\n', close - 1) + 1;
  if (lineOf(source, open) !== lineOf(source, close) && close - closeLineStart === indent.length) {
    const unit = indent.startsWith('\t') ? '\t' : '  ';
    return [{ pos: close - indent.length, text: `${indent}${unit}${element}${eolOf(text)}` }];
  }
  return [{ pos: close, text: (/\s/.test(text.charAt(close - 1)) ? '' : ' ') + element }];
}

/** The comma after the last element, when the array has a trailing one. */
function trailingComma(source: TS.SourceFile, array: TS.ArrayLiteralExpression): TS.Node | undefined {
  if (!array.elements.hasTrailingComma) {
    return undefined;
  }
  const list = array.getChildren(source).find((child) => child.kind === ts.SyntaxKind.SyntaxList);
  return list?.getChildren(source).filter((child) => child.kind === ts.SyntaxKind.CommaToken).at(-1);
}

/**
 * Appends `element` to an array literal without changing any other line.
 * - Last element on the line of `[`: `, element` right after it (on that line).
 * - Else on a line of its own after the last element's line (after a comment that ends it),
 *   indented with that line's leading white space; the last element gains a comma, or, when the
 *   array had a trailing comma, the new element gets one too.
 */
export function appendToArray(source: TS.SourceFile, array: TS.ArrayLiteralExpression, element: string): Edit[] {
  const last = array.elements.at(-1);
  if (!last) {
    return intoEmpty(source, array, element);
  }
  if (lineOf(source, last.getStart(source)) === lineOf(source, array.getStart(source))) {
    return [{ pos: last.end, text: `, ${element}` }];
  }
  const text = source.text;
  const comma = trailingComma(source, array);
  const end = comma?.end ?? last.end;
  const afterComments = ts.getTrailingCommentRanges(text, end)?.at(-1)?.end ?? end;
  const line = `${eolOf(text)}${lineIndent(text, last.getStart(source))}${element}${comma ? ',' : ''}`;
  return [
    ...(comma ? [] : [{ pos: last.end, text: ',' }]),
    { pos: afterLine(text, afterComments), text: line },
  ];
}
