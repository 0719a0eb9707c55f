import { noop, Rule } from '@angular-devkit/schematics';
import { TargetDefinition, updateWorkspace } from '@schematics/angular/utility/workspace';
import { TargetProject } from './workspace';

/** Files that must be served next to index.html for iframe renewal. */
export function silentRenewFiles(project: TargetProject): string[] {
  return ['silent-renew.html', 'silent-renew.js'].map((file) => `${project.sourceRoot}/${file}`);
}

const KARMA_BUILDERS = ['@angular-devkit/build-angular:karma', '@angular/build:karma'];

function hasAsset(assets: unknown[], file: string): boolean {
  return assets.some((asset) => {
    if (typeof asset === 'string') {
      return asset === file;
    }
    const entry = asset as { input?: string; glob?: string };
    return `${entry.input ?? ''}/${entry.glob ?? ''}`.replace(/\/+/g, '/') === file;
  });
}

function servesAssets(name: string, target: TargetDefinition): boolean {
  return name === 'build' || KARMA_BUILDERS.includes(target.builder);
}

function missingAssets(target: TargetDefinition, files: string[]): string[] {
  const assets = (target.options?.['assets'] ?? []) as unknown[];
  return files.filter((file) => !hasAsset(assets, file));
}

/**
 * Adds the silent-renew files to the `assets` of the build target (and of a Karma test target),
 * each once. The workspace writer only rewrites the arrays it touches: comments stay.
 */
export function addSilentRenewAssets(project: TargetProject): Rule {
  const files = silentRenewFiles(project);
  const targets = [...project.definition.targets].filter(([name, target]) => servesAssets(name, target));
  if (targets.every(([, target]) => missingAssets(target, files).length === 0)) {
    return noop();
  }
  return updateWorkspace((workspace) => {
    for (const [name, target] of workspace.projects.get(project.name)?.targets ?? []) {
      if (!servesAssets(name, target)) {
        continue;
      }
      const missing = missingAssets(target, files);
      if (missing.length) {
        target.options ??= {};
        const assets = (target.options['assets'] ??= []) as unknown[];
        assets.push(...missing);
      }
    }
  });
}
