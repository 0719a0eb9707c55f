import { Rule, SchematicsException, Tree } from '@angular-devkit/schematics';
import { ParsedSources } from './parsed-sources';
import { applyEdits, eolOf, lineEnd, lineIndent } from './text-edits';
import { find } from './ts-ast';
import { addImports, freeName, importedAs, importLine, namedImports, NamedImport } from './ts-imports';
import { ts, TS } from './typescript';

/** A planned edit of one file: its new text. */
export interface FileEdit {
  file: string;
  text: string;
}

/** The local name of the default import of 'express' (`import express from 'express'`). */
function expressName(source: TS.SourceFile): string | undefined {
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text === 'express') {
      return statement.importClause?.name?.text;
    }
  }
  return undefined;
}

/** The top-level `const app = express();` statement and the name it declares. */
function expressApp(source: TS.SourceFile, express: string): { statement: TS.VariableStatement; name: string } | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (ts.isIdentifier(declaration.name) && init && ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) && init.expression.text === express) {
        return { statement, name: declaration.name.text };
      }
    }
  }
  return undefined;
}

/**
 * Plans the BFF middleware in the app's server entry (server.ts of @angular/ssr, CLI 20 to 22): one
 * import of `bff` from the generated server folder and one line, `app.use(bff());`, right after
 * the statement that makes the Express app, so it runs before the static files and the Angular
 * handler. No other line changes; the file's indent, quotes, semicolons and line endings are kept.
 * Undefined when the file already imports and calls it. Reads only; throws, naming what to add by
 * hand, when the file does not make its Express app as `const app = express()` at top level.
 */
export function planBffWiring(tree: Tree, serverEntry: string, serverPath: string): FileEdit | undefined {
  const source = new ParsedSources().read(tree, serverEntry);
  const wanted = { name: 'bff', module: `${serverPath}/bff` };
  const existing = importedAs(source, wanted);
  const local = existing ?? freeName(source, 'bff', 'bffMiddleware');
  const isCall = (node: TS.Node): node is TS.CallExpression => ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) && node.expression.text === existing;
  if (existing && find(source, isCall)) {
    return undefined;
  }
  const express = expressName(source);
  const app = express ? expressApp(source, express) : undefined;
  const imported: NamedImport = { ...wanted, local };
  if (!app) {
    throw new SchematicsException(`${serverEntry}: no top-level "const app = ${express ?? 'express'}()" found; add ` +
      `app.use(${local}()) before the static files and the Angular handler, and ${importLine(serverEntry, imported)}, by hand.`);
  }
  const text = source.text;
  const end = app.statement.end;
  const semicolon = text.charAt(end - 1) === ';' ? ';' : '';
  const line = `${eolOf(text)}${lineIndent(text, app.statement.getStart(source))}${app.name}.use(${local}())${semicolon}`;
  const edits = [...addImports(source, serverEntry, existing ? [] : [imported]), { pos: lineEnd(text, end), text: line }];
  return { file: serverEntry, text: applyEdits(text, edits) };
}

/** `renderMode: RenderMode.Prerender` of the `path: '**'` entry of app.routes.server.ts. */
function prerenderedCatchAll(source: TS.SourceFile): TS.Identifier | undefined {
  const renderMode = [...namedImports(source)].find(([, i]) => i.name === 'RenderMode' && i.specifier === '@angular/ssr')?.[0];
  const property = (object: TS.ObjectLiteralExpression, name: string) => object.properties.find((p): p is TS.PropertyAssignment =>
    ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name)?.initializer;
  const isCatchAll = (node: TS.Node): node is TS.ObjectLiteralExpression => {
    if (!ts.isObjectLiteralExpression(node)) return false;
    const path = property(node, 'path');
    const mode = property(node, 'renderMode');
    return !!path && ts.isStringLiteral(path) && path.text === '**' && !!mode && ts.isPropertyAccessExpression(mode) &&
      ts.isIdentifier(mode.expression) && mode.expression.text === renderMode && mode.name.text === 'Prerender';
  };
  const entry = renderMode ? find(source, isCatchAll) : undefined;
  return entry ? (property(entry, 'renderMode') as TS.PropertyAccessExpression).name as TS.Identifier : undefined;
}

/**
 * The catch-all server route that `ng new --ssr` prerenders at build time, rendered per request
 * instead (`RenderMode.Prerender` → `RenderMode.Server`, one word of one line): a page built before
 * anyone signed in cannot show who is signed in. Undefined when the file has no such entry (other
 * render modes are the app's choice).
 */
export function planServerRendered(tree: Tree, routesFile: string): FileEdit | undefined {
  if (!tree.exists(routesFile)) {
    return undefined;
  }
  const source = new ParsedSources().read(tree, routesFile);
  const name = prerenderedCatchAll(source);
  if (!name) {
    return undefined;
  }
  const text = source.text;
  return { file: routesFile, text: text.slice(0, name.getStart(source)) + 'Server' + text.slice(name.end) };
}

/** Writes planned edits. */
export function writeEdits(...edits: (FileEdit | undefined)[]): Rule {
  return (tree) => {
    for (const edit of edits) {
      if (edit) tree.overwrite(edit.file, edit.text);
    }
  };
}
