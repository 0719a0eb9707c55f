import { Rule } from '@angular-devkit/schematics';
import { NodePackageInstallTask } from '@angular-devkit/schematics/tasks';
import { JsonText } from './json-edits';
import { printOptionsFor } from './prettier-options';
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

/** Where `name` goes among `names`: in alphabetical order when they are in it (as npm writes them), else last. */
function insertionIndex(names: string[], name: string): number {
  const sorted = names.every((n, i) => i === 0 || names[i - 1].localeCompare(n, 'en') <= 0);
  const at = names.findIndex((n) => n.localeCompare(name, 'en') > 0);
  return sorted && at >= 0 ? at : names.length;
}

/**
 * Adds the missing runtime dependencies to package.json by adding only their lines (in order, as
 * npm and the Angular CLI write them; one per line, as prettier prints package.json), and schedules
 * one install for them unless --skip-install. Present ones are left as they are.
 */
export function addRuntimeDependencies(options: ResolvedOptions): Rule {
  return (tree, context) => {
    if (!tree.exists('/package.json')) {
      return;
    }
    const original = tree.readText('/package.json');
    const manifest = new JsonText(original, printOptionsFor(tree, '/package.json'), true);
    const sections = ['dependencies', 'devDependencies'];
    const missing = runtimeDependencies(options).filter((name) =>
      sections.every((section) => manifest.get([section, name]) === undefined));
    for (const name of missing) {
      const present = manifest.get(['dependencies']);
      const names = present && typeof present === 'object' ? Object.keys(present) : [];
      manifest.insertProperty(['dependencies'], name, RUNTIME_DEPENDENCIES[name], insertionIndex(names, name));
    }
    if (manifest.text !== original) {
      tree.overwrite('/package.json', manifest.text);
    }
    if (missing.length && !options.skipInstall) {
      context.addTask(new NodePackageInstallTask());
    }
  };
}
