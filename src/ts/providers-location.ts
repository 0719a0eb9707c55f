import { Tree } from '@angular-devkit/schematics';
import { resolveSpecifier } from './module-paths';
import { ParsedSources } from './parsed-sources';
import { descendants, find } from './ts-ast';
import { ts, TS } from './typescript';

/** A parsed workspace file (path without leading slash). */
export interface SourceInFile {
  file: string;
  source: TS.SourceFile;
}

/** Where the root providers are: an array literal, or an `@NgModule({...})` without a providers key. */
export type RootProviders = SourceInFile & (
  | { array: TS.ArrayLiteralExpression; ngModule?: undefined }
  | { array?: undefined; ngModule: TS.ObjectLiteralExpression }
);

/** A shape the edit cannot handle safely: where it stopped and why. */
export class CannotEdit extends Error {
  constructor(readonly at: SourceInFile, readonly node: TS.Node | undefined, readonly reason: string,
    /** What the user adds the provider to: the node found, or the root providers in general. */
    readonly target: 'it' | `the app's root providers` = 'it') {
    super(reason);
  }
}

/** The workspace as the search reads it: the tree, and its files parsed once per run. */
export interface TreeSources {
  tree: Tree;
  sources: ParsedSources;
}

/** A workspace file, parsed. */
export function parseIn({ tree, sources }: TreeSources, file: string): SourceInFile {
  return { file, source: sources.read(tree, file) };
}

const isCallTo = (name: string) => (node: TS.Node): node is TS.CallExpression =>
  ts.isCallExpression(node) && (ts.isIdentifier(node.expression) ? node.expression : ts.isPropertyAccessExpression(node.expression)
    ? node.expression.name : undefined)?.text === name;

const isDynamicImport = (node: TS.Node): node is TS.CallExpression =>
  ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword &&
  node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]);

/** The workspace file a relative specifier names (`./app/app.config` → `src/app/app.config.ts`). */
function resolveFile(files: TreeSources, at: SourceInFile, specifier: string, node: TS.Node): string {
  const base = resolveSpecifier(at.file, specifier);
  const file = base && [`${base}.ts`, `${base}/index.ts`].find((candidate) => files.tree.exists(candidate));
  if (!file) {
    throw new CannotEdit(at, node, `'${specifier}' is not a relative import of a .ts file in the workspace`,
      `the app's root providers`);
  }
  return file;
}

/** The declaration `name` refers to at the top level of a file: declared there, or imported (followed). */
function declarationOf(files: TreeSources, at: SourceInFile, name: string): { at: SourceInFile; node: TS.Node } {
  for (const statement of at.source.statements) {
    if (ts.isClassDeclaration(statement) && statement.name?.text === name) {
      return { at, node: statement };
    }
    const variable = ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (variable && variable.initializer) {
      return { at, node: variable.initializer };
    }
    const bindings = ts.isImportDeclaration(statement) && statement.importClause?.namedBindings;
    const imported = bindings && ts.isNamedImports(bindings) && bindings.elements.find((e) => e.name.text === name);
    if (imported && ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const file = resolveFile(files, at, statement.moduleSpecifier.text, statement);
      return declarationOf(files, parseIn(files, file), (imported.propertyName ?? imported.name).text);
    }
  }
  throw new CannotEdit(at, undefined, `${name} is not declared or imported by name at the top level of this file`,
    `the app's root providers`);
}

function unwrap(node: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isSatisfiesExpression(node) || ts.isAsExpression(node) ||
    ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
    node = node.expression;
  }
  return node;
}

function providersOf(at: SourceInFile, object: TS.ObjectLiteralExpression): TS.ArrayLiteralExpression | undefined {
  const property = object.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
    p.name.text === 'providers');
  if (!property) {
    return undefined;
  }
  const value = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
  if (!value || !ts.isArrayLiteralExpression(value)) {
    throw new CannotEdit(at, property, 'providers is not an array literal');
  }
  return value;
}

/** An application config: an object literal, a name for one, or mergeApplicationConfig(shared, ...). */
function fromAppConfig(files: TreeSources, at: SourceInFile, expression: TS.Expression): RootProviders {
  const config = unwrap(expression);
  if (ts.isIdentifier(config)) {
    const found = declarationOf(files, at, config.text);
    return fromAppConfig(files, found.at, found.node as TS.Expression);
  }
  if (isCallTo('mergeApplicationConfig')(config) && config.arguments.length) {
    return fromAppConfig(files, at, config.arguments[0]);
  }
  if (!ts.isObjectLiteralExpression(config)) {
    throw new CannotEdit(at, config, 'the application config is not an object literal', `the app's root providers`);
  }
  const array = providersOf(at, config);
  if (!array) {
    throw new CannotEdit(at, config, 'the application config has no providers array');
  }
  return { ...at, array };
}

function fromNgModule(files: TreeSources, at: SourceInFile, name: TS.Expression | undefined): RootProviders {
  if (!name || !ts.isIdentifier(name)) {
    throw new CannotEdit(at, name, 'bootstrapModule is not given a module class by name', `the app's root providers`);
  }
  const found = declarationOf(files, at, name.text);
  const decorator = ts.isClassDeclaration(found.node)
    ? ts.getDecorators(found.node)?.map((d) => d.expression).find(isCallTo('NgModule')) : undefined;
  const metadata = decorator?.arguments[0] && unwrap(decorator.arguments[0]);
  if (!metadata || !ts.isObjectLiteralExpression(metadata)) {
    throw new CannotEdit(found.at, found.node, `${name.text} has no @NgModule({...}) metadata`, `the app's root providers`);
  }
  const array = providersOf(found.at, metadata);
  return array ? { ...found.at, array } : { ...found.at, ngModule: metadata };
}

/**
 * Finds the root providers from the browser entry point: `bootstrapApplication(App, config)`
 * (config inline, a const, imported, `satisfies`/`as ApplicationConfig`, or `mergeApplicationConfig`
 * whose first argument is followed), `bootstrapModule(AppModule)`, or a file the entry point
 * imports dynamically (`import('./bootstrap')`, as module federation apps do).
 */
export function findRootProviders(files: TreeSources, mainPath: string, seen = new Set<string>()): RootProviders {
  const at = parseIn(files, mainPath);
  seen.add(mainPath);
  const application = find(at.source, isCallTo('bootstrapApplication'));
  if (application) {
    const config = application.arguments[1];
    if (!config) {
      throw new CannotEdit(at, application, 'bootstrapApplication is called without an application config',
        `the app's root providers`);
    }
    return fromAppConfig(files, at, config);
  }
  const module = find(at.source, isCallTo('bootstrapModule'));
  if (module) {
    return fromNgModule(files, at, module.arguments[0]);
  }
  const notFound = new CannotEdit(at, undefined, 'no bootstrapApplication or bootstrapModule call found',
    `the app's root providers`);
  for (const load of descendants(at.source).filter(isDynamicImport)) {
    const specifier = (load.arguments[0] as TS.StringLiteralLike).text;
    const file = resolveSpecifier(mainPath, specifier) && resolveFile(files, at, specifier, load);
    if (!file || seen.has(file)) {
      continue;
    }
    try {
      return findRootProviders(files, file, seen);
    } catch (e) {
      if (!(e instanceof CannotEdit) || e.node) {
        throw e;
      }
    }
  }
  throw notFound;
}
