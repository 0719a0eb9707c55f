import { Tree } from '@angular-devkit/schematics';
import { JSONFile } from '@schematics/angular/utility/json-file';
import { ResolvedOptions } from '../render/options';
import { compareVersions } from '../render/releases';
import { RUNTIME_DEPENDENCIES, runtimeDependencies } from '../workspace/dependencies';

/** The lowest version a range allows: `^3.5.0` → `3.5.0`; undefined for tags, URLs and the like. */
function lowest(range: string): string | undefined {
  return /(\d+)\.(\d+)\.(\d+)/.exec(range)?.[0];
}

/**
 * Adds the runtime dependencies these options need and raises the ones whose range allows an
 * older version than this release is written against (only their lines change). Returns what it
 * changed, e.g. `oauth4webapi ^3.1.0 → ^3.8.0`.
 */
export function raiseRuntimeDependencies(tree: Tree, options: Pick<ResolvedOptions, 'flow' | 'dpop'>): string[] {
  if (!tree.exists('/package.json')) {
    return [];
  }
  const manifest = new JSONFile(tree, '/package.json');
  const changes: string[] = [];
  for (const name of runtimeDependencies(options as ResolvedOptions)) {
    const wanted = RUNTIME_DEPENDENCIES[name];
    const section = ['dependencies', 'devDependencies'].find((s) => manifest.get([s, name]) !== undefined);
    const current = section ? manifest.get([section, name]) : undefined;
    if (!section || typeof current !== 'string') {
      manifest.modify(['dependencies', name], wanted);
      changes.push(`${name} ${wanted} (added)`);
      continue;
    }
    const have = lowest(current);
    if (have && compareVersions(have, lowest(wanted)!) < 0) {
      manifest.modify([section, name], wanted);
      changes.push(`${name} ${current} → ${wanted}`);
    }
  }
  return changes;
}
