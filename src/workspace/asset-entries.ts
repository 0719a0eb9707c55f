import { Rule, Tree } from '@angular-devkit/schematics';
import { TargetDefinition } from '@schematics/angular/utility/workspace';
import { JsonText, JsonValue } from './json-edits';
import { printOptionsFor } from './prettier-options';
import { TargetProject } from './workspace';

const PAGE_FILES = ['silent-renew.html', 'silent-renew.js'];

/** Where the silent-renew page goes, and whether angular.json must list it in `assets`. */
export interface SilentRenewPlacement {
  /** Workspace-relative folder, no leading or trailing slash: `public`, `projects/admin/public`, `src`. */
  folder: string;
  assetEntries: boolean;
}

const KARMA_BUILDERS = ['@angular-devkit/build-angular:karma', '@angular/build:karma'];

interface AssetObject {
  glob?: unknown;
  input?: unknown;
  output?: unknown;
}

const clean = (path: string) => path.replace(/\\/g, '/').replace(/^\.?\/+/, '').replace(/\/+$/, '');

function assetsOf(target: TargetDefinition | undefined): unknown[] {
  const assets = target?.options?.['assets'];
  return Array.isArray(assets) ? assets : [];
}

function hasAsset(assets: unknown[], file: string): boolean {
  return assets.some((asset) => {
    if (typeof asset === 'string') {
      return clean(asset) === file;
    }
    const entry = asset as AssetObject;
    return clean(`${entry.input ?? ''}/${entry.glob ?? ''}`.replace(/\/+/g, '/')) === file;
  });
}

/** `{ "glob": "**\/*", "input": "public" }`: a folder whose every file is served at the app's root. */
function servedFolder(asset: unknown): string | undefined {
  if (typeof asset !== 'object' || asset === null) {
    return undefined;
  }
  const { glob, input, output } = asset as AssetObject;
  const atRoot = output === undefined || (typeof output === 'string' && clean(output) === '');
  const folder = typeof input === 'string' ? clean(input) : undefined;
  return (glob === '**/*' || glob === '**') && atRoot && folder !== undefined && !folder.startsWith('..') &&
    !folder.split('/').includes('node_modules') ? folder : undefined;
}

function servesAssets(name: string, target: TargetDefinition): boolean {
  return name === 'build' || KARMA_BUILDERS.includes(target.builder);
}

/**
 * Where silent-renew.html and silent-renew.js go:
 * - the workspace already lists `<sourceRoot>/silent-renew.html` as an asset (an earlier run): there,
 *   entries kept;
 * - the build target serves a folder whole at the app's root (`{ "glob": "**\/*", "input": "public" }`,
 *   the CLI's default since v18): in that folder, no asset entry;
 * - otherwise (`src/assets`, explicit entries): in the source root, with an entry for each file.
 */
export function silentRenewPlacement(project: TargetProject): SilentRenewPlacement {
  const targets = [...project.definition.targets].filter(([name, target]) => servesAssets(name, target));
  const listed = targets.some(([, target]) => hasAsset(assetsOf(target), `${project.sourceRoot}/silent-renew.html`));
  const served = listed ? undefined : assetsOf(project.definition.targets.get('build')).map(servedFolder).find((f) => f !== undefined);
  return served !== undefined ? { folder: served, assetEntries: false } : { folder: project.sourceRoot, assetEntries: true };
}

/** Files that must be served next to index.html for iframe renewal, workspace-relative. */
export function silentRenewFiles(project: TargetProject): string[] {
  const { folder } = silentRenewPlacement(project);
  return PAGE_FILES.map((file) => [folder, file].filter(Boolean).join('/'));
}

/** A new entry in the style of the list: a string where it has strings, `{ glob, input }` where it has objects. */
function entryFor(assets: unknown[], file: string): JsonValue {
  const objects = assets.filter((asset) => typeof asset === 'object' && asset !== null).length;
  const strings = assets.length - objects;
  const useObjects = objects > strings || (objects === strings && objects > 0 && typeof assets.at(-1) === 'object');
  if (!useObjects) {
    return file;
  }
  const slash = file.lastIndexOf('/');
  const entry: { [key: string]: JsonValue } = { glob: file.slice(slash + 1), input: slash < 0 ? '' : file.slice(0, slash) };
  if (assets.some((asset) => typeof asset === 'object' && asset !== null && (asset as AssetObject).output !== undefined)) {
    entry['output'] = '/';
  }
  return entry;
}

/** The JSON path of a target's assets: under `architect` or `targets`, as the file spells it. */
function assetsPath(json: JsonText, project: string, target: string): (string | number)[] {
  const key = json.get(['projects', project, 'targets']) !== undefined ? 'targets' : 'architect';
  return ['projects', project, key, target, 'options', 'assets'];
}

/**
 * Adds the silent-renew files to the `assets` of the build target (and of a Karma test target), each
 * once, where the placement needs entries. Only the assets array changes; it keeps its one-line or
 * multi-line form as prettier would print it with the workspace's config, and its entry style.
 */
export function addSilentRenewAssets(project: TargetProject): Rule {
  return (tree: Tree) => {
    if (!silentRenewPlacement(project).assetEntries) {
      return;
    }
    const files = silentRenewFiles(project);
    const original = tree.readText('/angular.json');
    const json = new JsonText(original, printOptionsFor(tree, '/angular.json'));
    for (const [name, target] of project.definition.targets) {
      if (!servesAssets(name, target)) {
        continue;
      }
      const path = assetsPath(json, project.name, name);
      const current = json.get(path);
      const assets = Array.isArray(current) ? current : [];
      const missing = files.filter((file) => !hasAsset(assets, file));
      if (missing.length && (current === undefined || Array.isArray(current))) {
        json.append(path, missing.map((file) => entryFor(assets, file)), { expandObjects: json.lastObjectExpanded(path) });
      }
    }
    if (json.text !== original) {
      tree.overwrite('/angular.json', json.text);
    }
  };
}
