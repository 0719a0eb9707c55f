import { Rule, Tree } from '@angular-devkit/schematics';
import { addRootProvider } from '@schematics/angular/utility';
import { getAppModulePath, isStandaloneApp } from '@schematics/angular/utility/ng-ast-utils';
import { findAppConfig } from '@schematics/angular/utility/standalone/app_config';
import { findBootstrapApplicationCall } from '@schematics/angular/utility/standalone/util';
import { posix } from 'node:path';
import { TargetProject } from './workspace';

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
 * Adds `provideAuth(authConfig)` to the root providers through the Angular CLI's own AST utility,
 * once: a file that already calls provideAuth( is left alone.
 */
export function addProvideAuth(project: TargetProject): Rule {
  return (tree) => {
    const file = rootProvidersFile(tree, project.mainPath);
    if (tree.readText(file).includes('provideAuth(')) {
      return;
    }
    const provideAuth = importPath(file, `${project.authPath}/provide-auth`);
    const config = importPath(file, `${project.authPath}/auth.config`);
    return addRootProvider(project.name, ({ code, external }) =>
      code`${external('provideAuth', provideAuth)}(${external('authConfig', config)})`);
  };
}
