import { Rule, SchematicsException, Tree } from '@angular-devkit/schematics';
import { Renewal, resolveOptions, ResolvedOptions } from './options';
import { describeShape, readPreviousOptions, sameShape, ShapeOptions } from './previous-options';
import { testRunnerOf, withVitestImports } from './test-runner';
import { readTemplateFolder } from './template-files';
import { silentRenewPlacement } from '../workspace/asset-entries';
import { TargetProject } from '../workspace/workspace';

/**
 * The code with what formatters change taken out (white space, commas, semicolons, parentheses,
 * quote style). Angular CLI 21+ runs the workspace's prettier over every file a schematic writes,
 * so a file written by an earlier run may differ from the template in formatting only.
 */
function formatInsensitive(code: string): string {
  return code.replace(/[\s,;()]/g, '').replace(/["`]/g, "'");
}

/** True when `existing` is the file this schematic writes, formatted or not. */
export function isSameFile(existing: Buffer, written: Buffer): boolean {
  return existing.equals(written) || formatInsensitive(existing.toString()) === formatInsensitive(written.toString());
}

/** Generated files by workspace path (no leading slash). */
type Files = Map<string, Buffer>;

/** The template folders for the chosen flow and renewal, and where each goes. */
function templateFolders(project: TargetProject, options: ShapeOptions): [string, string][] {
  const storage = options.storage === 'local' ? 'storage-local' : 'storage-tab';
  const variants = ['common', options.flow, options.renewal, storage, ...(options.dpop ? ['dpop'] : [])];
  const auth = variants.map((variant): [string, string] => [`auth/${variant}`, project.authPath]);
  return options.renewal === 'iframe' ? [...auth, ['silent-renew', silentRenewPlacement(project).folder]] : auth;
}

/**
 * Every file `options` generate, as they would be written: templates filled in and, for a Vitest
 * app, the test functions imported from 'vitest' (so that specs run with `globals: false` too).
 */
function render(project: TargetProject, options: ResolvedOptions): Files {
  const vitest = testRunnerOf(project.definition) === 'vitest';
  const files: Files = new Map();
  for (const [folder, destination] of templateFolders(project, options)) {
    for (const [path, content] of readTemplateFolder(folder, options)) {
      if (options.skipTests && /\.(spec|testing)\.ts$/.test(path)) {
        continue;
      }
      const spec = vitest && path.endsWith('.spec.ts');
      files.set([destination, path].filter(Boolean).join('/'), spec ? Buffer.from(withVitestImports(content.toString())) : content);
    }
  }
  return files;
}

/** What a run would do to the files already in the workspace. */
interface Plan {
  add: string[];
  replace: string[];
  remove: string[];
  /** Files that differ from what these options write and stay as they are (the user's edits). */
  keep: string[];
  /** Of replace and remove: files that also differ from what the earlier run wrote. */
  edited: Set<string>;
  /** Files that exist and differ while no earlier run can be told from auth.config.ts. */
  unknown: string[];
}

function makePlan(tree: Tree, next: Files, previous: Files | undefined): Plan {
  const plan: Plan = { add: [], replace: [], remove: [], keep: [], edited: new Set(), unknown: [] };
  const editedSince = (path: string, existing: Buffer) => {
    const before = previous?.get(path);
    return !before || !isSameFile(existing, before);
  };
  for (const [path, content] of next) {
    const existing = tree.read(path);
    if (!existing) {
      plan.add.push(path);
    } else if (isSameFile(existing, content)) {
      continue;
    } else if (!previous) {
      plan.unknown.push(path);
    } else if (previous.has(path) && !isSameFile(previous.get(path)!, content)) {
      plan.replace.push(path);
      if (editedSince(path, existing)) plan.edited.add(path);
    } else {
      plan.keep.push(path);
    }
  }
  for (const [path] of previous ?? []) {
    const existing = next.has(path) ? null : tree.read(path);
    if (existing) {
      plan.remove.push(path);
      if (editedSince(path, existing)) plan.edited.add(path);
    }
  }
  [plan.add, plan.replace, plan.remove, plan.keep, plan.unknown].forEach((paths) => paths.sort());
  return plan;
}

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function listed(paths: string[], edited: Set<string>): string {
  return paths.map((p) => (edited.has(p) ? `${fileName(p)} (edited since generated)` : fileName(p))).join(', ');
}

/** Files outside the auth folder are served as assets (angular.json lists them): never deleted. */
function isInAuthFolder(project: TargetProject, path: string): boolean {
  return path.startsWith(`${project.authPath}/`);
}

/** "replace renew.ts, …; add …; remove … (no longer needed); no longer use … (kept: …)" */
function describeChanges(project: TargetProject, plan: Plan): string {
  const remove = plan.remove.filter((path) => isInAuthFolder(project, path));
  const stale = plan.remove.filter((path) => !isInAuthFolder(project, path));
  return [
    plan.replace.length ? `replace ${listed(plan.replace, plan.edited)}` : '',
    plan.add.length ? `add ${listed(plan.add, plan.edited)}` : '',
    remove.length ? `remove ${listed(remove, plan.edited)} (no longer needed)` : '',
    stale.length ? `no longer use ${stale.join(', ')} (kept: angular.json serves them)` : '',
  ].filter(Boolean).join('; ');
}

/** The options of the earlier run with this run's config values (a default scope follows the renewal). */
function previousOptions(project: TargetProject, options: ResolvedOptions, shape: ShapeOptions): Files {
  const defaults = (renewal: Renewal) => resolveOptions({ ...options, flow: 'code', renewal, scope: undefined }).scope;
  const scope = options.scope === defaults(options.renewal) ? defaults(shape.renewal) : options.scope;
  return render(project, { ...options, ...shape, scope });
}

/**
 * Writes the generated files so that running again is safe:
 * - a file as generated (or only reformatted) is skipped; a missing one is (re)created;
 * - with the options of the earlier run (read from the first line of auth.config.ts), a file that
 *   differs is the user's edit: it stays, and one info line names it;
 * - with other options, the run stops and names every file that would be replaced, added or
 *   removed, unless `overwrite` is given; then it applies them and names the edited ones it replaced.
 */
export function scaffoldFiles(project: TargetProject, options: ResolvedOptions, overwrite = false): Rule {
  return (tree, context) => {
    const next = render(project, options);
    const shape = readPreviousOptions(tree, project.authPath);
    const previous = shape ? previousOptions(project, options, shape) : undefined;
    const plan = makePlan(tree, next, previous);
    const folder = project.authPath;

    if (plan.unknown.length && !overwrite) {
      const first = plan.unknown[0];
      throw new SchematicsException(plan.unknown.length === 1
        ? `${first} already exists and differs from what ngx-auth-renew writes; ` +
          'it was left untouched. Move or delete it, or pass --path <another folder>.'
        : `${plan.unknown.join(', ')} already exist and differ from what ngx-auth-renew writes; ` +
          'they were left untouched. Move or delete them, or pass --path <another folder>.');
    }
    const changesShape = !!shape && !sameShape(shape, options);
    const changes = describeChanges(project, plan);
    if (changesShape && changes && !overwrite) {
      throw new SchematicsException(
        `${folder} was generated with ${describeShape(shape)}; ${describeShape(options)} would ${changes}. ` +
        'Nothing was changed: run again with the earlier options to keep these files, ' +
        'or add --overwrite to apply the changes.');
    }

    for (const path of [...plan.add, ...plan.replace, ...plan.unknown]) {
      if (tree.exists(path)) tree.overwrite(path, next.get(path)!);
      else tree.create(path, next.get(path)!);
    }
    const deleted = plan.remove.filter((path) => isInAuthFolder(project, path));
    deleted.forEach((path) => tree.delete(path));
    const stale = plan.remove.filter((path) => !isInAuthFolder(project, path));

    if (plan.keep.length) {
      context.logger.info(`ngx-auth-renew: left your edited ${plan.keep.join(', ')} as they are ` +
        '(they differ from what these options generate).');
    }
    const overwritten = [...plan.replace, ...plan.unknown, ...deleted]
      .filter((path) => plan.edited.has(path) || plan.unknown.includes(path));
    if (overwritten.length) {
      context.logger.warn(`ngx-auth-renew: --overwrite replaced or removed your edited ${overwritten.join(', ')}.`);
    }
    if (stale.length) {
      context.logger.warn(`ngx-auth-renew: ${stale.join(', ')} are no longer used; delete them and their ` +
        'entries in the "assets" of angular.json if nothing else needs them.');
    }
  };
}
