import { Rule } from '@angular-devkit/schematics';
import { NodePackageInstallTask } from '@angular-devkit/schematics/tasks';
import { JSONFile } from '@schematics/angular/utility/json-file';
import { ResolvedOptions } from '../render/options';

/** Runtime libraries of the generated code; versions the templates are written and tested against. */
export const RUNTIME_DEPENDENCIES = {
  oauth4webapi: '^3.8.0',
  jose: '^6.1.0',
  // --bff: the server half (openid-client is oauth4webapi's sibling for servers; redis when configured).
  'openid-client': '^6.8.0',
  redis: '^5.8.0',
} as const;

type RuntimeDependency = keyof typeof RUNTIME_DEPENDENCIES;

/**
 * oauth4webapi always; jose only where the implicit variant must verify an id_token signature, or
 * DPoP proofs must be signed for API calls.
 */
export function runtimeDependencies(options: ResolvedOptions): RuntimeDependency[] {
  if (options.bff) {
    return ['openid-client', 'jose', 'redis'];
  }
  return options.flow === 'implicit' || options.dpop ? ['oauth4webapi', 'jose'] : ['oauth4webapi'];
}

/**
 * Adds the missing runtime dependencies to package.json by editing only their lines (formatting
 * kept), and schedules one install for them unless --skip-install. Present ones are left as they are.
 */
export function addRuntimeDependencies(options: ResolvedOptions): Rule {
  return (tree, context) => {
    if (!tree.exists('/package.json')) {
      return;
    }
    const manifest = new JSONFile(tree, '/package.json');
    const sections = ['dependencies', 'devDependencies'];
    const missing = runtimeDependencies(options).filter((name) =>
      sections.every((section) => manifest.get([section, name]) === undefined));
    for (const name of missing) {
      manifest.modify(['dependencies', name], RUNTIME_DEPENDENCIES[name]);
    }
    if (missing.length && !options.skipInstall) {
      context.addTask(new NodePackageInstallTask());
    }
  };
}
