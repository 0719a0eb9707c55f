import { posix } from 'node:path';
import { afterLine, Edit, eolOf } from './text-edits';
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

/** The workspace path (no extension) a relative specifier of `file` points at; undefined for packages. */
export function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) {
    return undefined;
  }
  return posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.[cm]?[jt]s$/, '');
}

/** `module` as seen from `file`: `./auth/provide-auth`. */
export function specifierFor(file: string, module: string): string {
  const path = posix.relative(posix.dirname(file), module);
  return path.startsWith('.') ? path : `./${path}`;
}

function imports(source: TS.SourceFile): TS.ImportDeclaration[] {
  return source.statements.filter(ts.isImportDeclaration);
}

/** The name `wanted` goes by in the file when it imports it (possibly aliased); undefined when it does not. */
export function importedAs(source: TS.SourceFile, file: string, wanted: ModuleExport): string | undefined {
  for (const declaration of imports(source)) {
    const bindings = declaration.importClause?.namedBindings;
    if (!ts.isStringLiteral(declaration.moduleSpecifier) || !bindings || !ts.isNamedImports(bindings) ||
      resolveSpecifier(file, declaration.moduleSpecifier.text) !== wanted.module) {
      continue;
    }
    const element = bindings.elements.find((e) => (e.propertyName ?? e.name).text === wanted.name);
    if (element) {
      return element.name.text;
    }
  }
  return undefined;
}

function identifiers(node: TS.Node, names = new Set<string>()): Set<string> {
  if (ts.isIdentifier(node)) {
    names.add(node.text);
  }
  ts.forEachChild(node, (child) => void identifiers(child, names));
  return names;
}

/**
 * `preferred` when no identifier of that name appears in the file, else `alias` (`alias2`, ... if
 * that is taken too). Any appearance counts, so a name is never shadowed or redeclared.
 */
export function freeName(source: TS.SourceFile, preferred: string, alias: string): string {
  const taken = identifiers(source);
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
