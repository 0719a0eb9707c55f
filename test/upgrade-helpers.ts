import { SchematicTestRunner, UnitTestTree } from '@angular-devkit/schematics/testing';
import { join } from 'node:path';
import { resolveOptions } from '../src/render/options';
import { releaseOf, RenderContext, RenderOptions } from '../src/render/releases';
import { renderRelease } from '../src/render/render';
import { Schema } from '../src/render/schema';
import { planProvideAuth } from '../src/ts/root-provider';
import { BASE_OPTIONS, runner } from './workspace-fixtures';

const ROOT = join(__dirname, '..', '..');

export const migrations = new SchematicTestRunner('ngx-auth-renew-migrations', join(ROOT, 'migrations', 'migration-collection.json'));

/** The options a run with `schema` (plus the base authority and client id) resolves to. */
export function optionsOf(schema: Partial<Schema> = {}): RenderOptions {
  const { skipInstall: _, skipTests, ...options } = resolveOptions({ ...BASE_OPTIONS, ...schema });
  return { ...options, skipTests: !!skipTests };
}

/**
 * Writes into `tree` the folder `version` generated for `schema` (from the release history, which
 * test/release-history.spec.ts checks against what the real releases wrote).
 */
export function plantRelease(tree: UnitTestTree, version: string, schema: Partial<Schema> = {}, context: Partial<RenderContext> = {}): void {
  const files = renderRelease(releaseOf(version)!, optionsOf(schema), {
    authPath: 'src/app/auth', silentRenewPath: 'src', vitestImports: version !== '0.1.0', ...context,
  });
  for (const [path, content] of files) {
    if (tree.exists(path)) tree.overwrite(path, content);
    else tree.create(path, content);
  }
  wireProvideAuth(tree, context.authPath ?? 'src/app/auth');
  // The dependencies every release added (oauth4webapi; jose for implicit, and for DPoP since 0.2.0).
  const manifest = JSON.parse(tree.readText('/package.json'));
  manifest.dependencies = { ...manifest.dependencies, oauth4webapi: '^3.8.0',
    ...(schema.flow === 'implicit' || schema.dpop ? { jose: '^6.1.0' } : {}) };
  tree.overwrite('/package.json', `${JSON.stringify(manifest, null, 2)}\n`);
}

/** `provideAuth(authConfig)` in the root providers of the project that holds `authPath`, as every release wrote it. */
function wireProvideAuth(tree: UnitTestTree, authPath: string): void {
  const workspace = JSON.parse(tree.readText('/angular.json'));
  for (const [name, project] of Object.entries<{ root: string; sourceRoot?: string; projectType: string; architect: { build: { options: { browser?: string; main?: string } } } }>(workspace.projects)) {
    const sourceRoot = project.sourceRoot ?? `${project.root ? `${project.root}/` : ''}src`;
    if (project.projectType !== 'application' || !authPath.startsWith(`${sourceRoot}/`)) continue;
    const main = project.architect.build.options.browser ?? project.architect.build.options.main!;
    const plan = planProvideAuth(tree, { name, definition: undefined as never, sourceRoot, authPath, mainPath: main });
    if (plan) tree.overwrite(plan.file, plan.text);
    return;
  }
}

/** Runs `run` and collects what the schematics logged, as level and message. */
export async function logged<T>(run: () => Promise<T>): Promise<{ result: T; entries: { level: string; message: string }[] }> {
  const entries: { level: string; message: string }[] = [];
  const subscriptions = [runner, migrations].map((r) => r.logger.subscribe((e) => entries.push({ level: e.level, message: e.message })));
  try {
    return { result: await run(), entries };
  } finally {
    subscriptions.forEach((s) => s.unsubscribe());
  }
}

/** `ng update ngx-auth-renew --migrate-only --from <from>`: every migration entry after `from`, in order. */
export async function ngUpdate(tree: UnitTestTree, from: string): Promise<UnitTestTree> {
  const entries = migrations.engine.createCollection('ngx-auth-renew-migrations').listSchematicNames()
    .map((name) => ({ name, version: /(\d+\.\d+\.\d+)$/.exec(name)![1] }))
    .filter((e) => compare(e.version, from) > 0)
    .sort((a, b) => compare(a.version, b.version));
  let result = tree;
  for (const entry of entries) {
    result = await migrations.runSchematic(entry.name, {}, result);
  }
  return result;
}

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/** The files under the given folders, by path. */
export function filesUnder(tree: UnitTestTree, ...folders: string[]): Record<string, string> {
  return Object.fromEntries(tree.files
    .filter((path) => folders.some((folder) => path.startsWith(`/${folder}/`) || path === `/${folder}`))
    .sort()
    .map((path) => [path, tree.readText(path)]));
}
