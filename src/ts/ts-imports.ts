import { resolveSpecifier, specifierFor } from './module-paths';
import { afterLine, Edit, eolOf } from './text-edits';
import { descendants } from './ts-ast';
import { ts, TS } from './typescript';

/** A named export of a workspace file: `provideAuth` of `src/app/auth/provide-auth`. */
export interface ModuleExport {
  name: string;
  /** Workspace path without extension. */
  module: string;
}

/** An import the edit needs: the export, and the name it goes by in the file. */
export interface NamedImport extends ModuleExport {
  local: string;
}

/** What a local name of a file imports: the exported name, the specifier and, when relative, its workspace path. */
export interface ImportedName {
  name: string;
  specifier: string;
  module: string | undefined;
}

function imports(source: TS.SourceFile): TS.ImportDeclaration[] {
  return source.statements.filter(ts.isImportDeclaration);
}

/** Local name → what it imports, for each named import of a file (`import { a as b } from '...'`). */
export function namedImports(source: TS.SourceFile): Map<string, ImportedName> {
  const names = new Map<string, ImportedName>();
  for (const declaration of imports(source)) {
    const bindings = declaration.importClause?.namedBindings;
    if (!ts.isStringLiteral(declaration.moduleSpecifier) || !bindings || !ts.isNamedImports(bindings)) {
      continue;
    }
    const specifier = declaration.moduleSpecifier.text;
    const module = resolveSpecifier(source.fileName, specifier);
    for (const element of bindings.elements) {
      names.set(element.name.text, { name: (element.propertyName ?? element.name).text, specifier, module });
    }
  }
  return names;
}

/** The name `wanted` goes by in the file when it imports it (possibly aliased); undefined when it does not. */
export function importedAs(source: TS.SourceFile, wanted: ModuleExport): string | undefined {
  return [...namedImports(source)].find(([, i]) => i.name === wanted.name && i.module === wanted.module)?.[0];
}

/**
 * `preferred` when no identifier of that name appears in the file, else `alias` (`alias2`, ... if
 * that is taken too). Any appearance counts, so a name is never shadowed or redeclared.
 */
export function freeName(source: TS.SourceFile, preferred: string, alias: string): string {
  const taken = new Set(descendants(source).filter(ts.isIdentifier).map((id) => id.text));
  if (!taken.has(preferred)) {
    return preferred;
  }
  let name = alias;
  for (let n = 2; taken.has(name); n++) {
    name = `${alias}${n}`;
  }
  return name;
}

/** `import { name as local } from './path'` in the file's quote style, without its line break. */
export function importLine(file: string, wanted: NamedImport, quote = `'`, semicolon = ';'): string {
  const binding = wanted.local === wanted.name ? wanted.name : `${wanted.name} as ${wanted.local}`;
  return `import { ${binding} } from ${quote}${specifierFor(file, wanted.module)}${quote}${semicolon}`;
}

/** The more common of two forms; on a tie, the one of the last occurrence. */
function dominant<T>(forms: T[], fallback: T): T {
  const counts = new Map<T, number>();
  forms.forEach((form) => counts.set(form, (counts.get(form) ?? 0) + 1));
  const best = Math.max(0, ...counts.values());
  return [...forms].reverse().find((form) => counts.get(form) === best) ?? fallback;
}

/**
 * The quote and semicolon style of the file's imports, by majority: a file where 18 of 19 imports end
 * with `;` gets `;`, whatever its last import does. A file without imports: its other statements
 * and string literals decide; `'` and `;` when nothing does.
 */
export function importStyle(source: TS.SourceFile): { quote: string; semicolon: string } {
  const text = source.text;
  const declarations = imports(source);
  const endsWithSemicolon = (node: TS.Node) => (text.charAt(node.end - 1) === ';' ? ';' : '');
  const statements = declarations.length ? declarations : source.statements.filter((statement) =>
    ts.isVariableStatement(statement) || ts.isExpressionStatement(statement) || ts.isExportDeclaration(statement) ||
    ts.isExportAssignment(statement) || ts.isTypeAliasDeclaration(statement));
  const literals = declarations.length
    ? declarations.map((declaration) => declaration.moduleSpecifier)
    : descendants(source).filter(ts.isStringLiteral);
  return {
    quote: dominant(literals.map((literal) => literal.getText(source).charAt(0)).filter((q) => q === `'` || q === '"'), `'`),
    semicolon: dominant(statements.map(endsWithSemicolon), ';'),
  };
}

/**
 * New import lines after the file's last import line, in the file's dominant quote and semicolon
 * style and its line endings; no existing line changes. A file without imports gets them at its top.
 */
export function addImports(source: TS.SourceFile, file: string, wanted: NamedImport[]): Edit[] {
  if (!wanted.length) {
    return [];
  }
  const text = source.text;
  const eol = eolOf(text);
  const { quote, semicolon } = importStyle(source);
  const last = imports(source).at(-1);
  if (!last) {
    return [{ pos: 0, text: wanted.map((w) => importLine(file, w, quote, semicolon) + eol).join('') }];
  }
  const after = ts.getTrailingCommentRanges(text, last.end)?.at(-1)?.end ?? last.end;
  return [{ pos: afterLine(text, after), text: wanted.map((w) => eol + importLine(file, w, quote, semicolon)).join('') }];
}
