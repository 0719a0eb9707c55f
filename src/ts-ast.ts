import type * as ts from 'typescript';
import { dirname, posix } from 'node:path';
import { SourceFile } from './project-sources';

let loaded: typeof ts | undefined;

/**
 * The TypeScript that @schematics/angular parses with, loaded on first use (it is large): vendored
 * under third_party up to Angular 21, its own `typescript` dependency from 22 on.
 */
export function typescript(): typeof ts {
  if (!loaded) {
    try {
      loaded = require('@schematics/angular/third_party/github.com/Microsoft/TypeScript/lib/typescript') as typeof ts;
    } catch {
      const schematics = dirname(require.resolve('@schematics/angular/package.json'));
      loaded = require(require.resolve('typescript', { paths: [schematics] })) as typeof ts;
    }
  }
  return loaded;
}

export function parse(file: SourceFile): ts.SourceFile {
  const { createSourceFile, ScriptTarget } = typescript();
  return createSourceFile(file.path, file.text, ScriptTarget.Latest, true);
}

/** Every node below `node`, depth first. */
export function* descendants(node: ts.Node): Generator<ts.Node> {
  const children: ts.Node[] = [];
  node.forEachChild((child) => {
    children.push(child);
  });
  for (const child of children) {
    yield child;
    yield* descendants(child);
  }
}

/** `path:line` (1-based) of a node. */
export function location(source: ts.SourceFile, node: ts.Node): string {
  return `${source.fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}

/** A relative module specifier of `file`, as a workspace path without extension; null for packages. */
export function resolveModule(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) {
    return null;
  }
  return posix.join(posix.dirname(file), specifier).replace(/\.(ts|js)$/, '');
}

/** `./auth/auth.interceptor` as imported from `file`. */
export function importPath(file: string, target: string): string {
  const path = posix.relative(posix.dirname(file), target);
  return path.startsWith('.') ? path : `./${path}`;
}

/** Local name → [imported name, resolved module or package] for each named import of a file. */
export function namedImports(source: ts.SourceFile): Map<string, { name: string; from: string }> {
  const { isImportDeclaration, isNamedImports, isStringLiteral } = typescript();
  const imports = new Map<string, { name: string; from: string }>();
  for (const statement of source.statements) {
    if (!isImportDeclaration(statement) || !isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const specifier = statement.moduleSpecifier.text;
    const from = resolveModule(source.fileName, specifier) ?? specifier;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        imports.set(element.name.text, { name: (element.propertyName ?? element.name).text, from });
      }
    }
  }
  return imports;
}
