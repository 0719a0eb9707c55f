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

/**
 * New import lines after the file's last import line, in its quote, semicolon and line-ending
 * style; no existing line changes. A file without imports gets them at its top.
 */
export function addImports(source: TS.SourceFile, file: string, wanted: NamedImport[]): Edit[] {
  if (!wanted.length) {
    return [];
  }
  const text = source.text;
  const eol = eolOf(text);
  const last = imports(source).at(-1);
  if (!last) {
    return [{ pos: 0, text: wanted.map((w) => importLine(file, w) + eol).join('') }];
  }
  const quote = last.moduleSpecifier.getText(source).charAt(0);
  const semicolon = text.charAt(last.end - 1) === ';' ? ';' : '';
  const after = ts.getTrailingCommentRanges(text, last.end)?.at(-1)?.end ?? last.end;
  return [{ pos: afterLine(text, after), text: wanted.map((w) => eol + importLine(file, w, quote, semicolon)).join('') }];
}
