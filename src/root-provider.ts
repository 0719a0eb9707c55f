import { Rule, Tree } from '@angular-devkit/schematics';
import { addRootProvider } from '@schematics/angular/utility';
import { insertImport } from '@schematics/angular/utility/ast-utils';
import { InsertChange } from '@schematics/angular/utility/change';
import { getAppModulePath, isStandaloneApp } from '@schematics/angular/utility/ng-ast-utils';
import { findAppConfig } from '@schematics/angular/utility/standalone/app_config';
import {
  applyChangesToFile, findBootstrapApplicationCall, findProvidersLiteral, getSourceFile,
} from '@schematics/angular/utility/standalone/util';
import { posix } from 'node:path';
import { TargetProject } from './workspace';

const PROVIDER = 'provideAuth(authConfig)';

/** The file that holds the app's root providers: app.config.ts, main.ts, or the AppModule. */
function rootProvidersFile(tree: Tree, mainPath: string): string {
  if (isStandaloneApp(tree, mainPath)) {
    const call = findBootstrapApplicationCall(tree, mainPath);
    return (findAppConfig(call, tree, mainPath)?.filePath ?? mainPath).replace(/^\/+/, '');
  }
  return getAppModulePath(tree, mainPath).replace(/^\/+/, '');
}

/** `./auth/provide-auth` as seen from `file`. */
function importPath(file: string, target: string): string {
  const path = posix.relative(posix.dirname(file), target);
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * In a multi-line `providers: [...]` of an app config, puts the provider on a line of its own after
 * the last one, indented like it (the CLI's utility would append it to the last provider's line).
 * Returns false where that shape is not there, for the CLI's utility to handle.
 */
function insertOnOwnLine(tree: Tree, project: TargetProject, imports: Record<string, string>): boolean {
  if (!isStandaloneApp(tree, project.mainPath)) {
    return false;
  }
  const config = findAppConfig(findBootstrapApplicationCall(tree, project.mainPath), tree, project.mainPath);
  const providers = config && findProvidersLiteral(config.node);
  const last = providers?.elements[providers.elements.length - 1];
  const source = last?.getSourceFile();
  if (!config || !providers || !last || !source) {
    return false;
  }
  const lastLine = source.getLineAndCharacterOfPosition(last.getStart());
  if (source.getLineAndCharacterOfPosition(providers.getStart()).line === lastLine.line) {
    return false;
  }
  const indent = source.text.slice(source.getLineStarts()[lastLine.line], last.getStart());
  const change = providers.elements.hasTrailingComma
    ? new InsertChange(config.filePath, providers.elements.end + 1, `\n${indent}${PROVIDER},`)
    : new InsertChange(config.filePath, last.getEnd(), `,\n${indent}${PROVIDER}`);
  const importChanges = Object.entries(imports).map(([symbol, from]) =>
    insertImport(getSourceFile(tree, config.filePath), config.filePath, symbol, from));
  applyChangesToFile(tree, config.filePath, [...importChanges, change]);
  return true;
}

/**
 * Adds `provideAuth(authConfig)` to the root providers (app config, bootstrap call or AppModule),
 * once: a file that already calls provideAuth( is left alone.
 */
export function addProvideAuth(project: TargetProject): Rule {
  return (tree) => {
    const file = rootProvidersFile(tree, project.mainPath);
    if (tree.readText(file).includes('provideAuth(')) {
      return;
    }
    const imports = {
      provideAuth: importPath(file, `${project.authPath}/provide-auth`),
      authConfig: importPath(file, `${project.authPath}/auth.config`),
    };
    if (insertOnOwnLine(tree, project, imports)) {
      return;
    }
    return addRootProvider(project.name, ({ code, external }) =>
      code`${external('provideAuth', imports.provideAuth)}(${external('authConfig', imports.authConfig)})`);
  };
}
