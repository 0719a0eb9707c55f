import { chain, noop, Rule } from '@angular-devkit/schematics';
import { WorkspaceDefinition } from '@schematics/angular/utility/workspace';
import { addSilentRenewAssets, silentRenewPlacement } from '../../src/workspace/asset-entries';
import { addRuntimeDependencies } from '../../src/workspace/dependencies';
import { scheduleNextSteps } from '../../src/next-steps/next-steps';
import { resolveOptions, ResolvedOptions } from '../../src/render/options';
import { presetNotice, presetWarnings } from '../../src/render/presets';
import { addProvideAuth, planProvideAuth } from '../../src/ts/root-provider';
import { planBffWiring, planServerRendered, writeEdits } from '../../src/ts/server-wiring';
import { scaffoldFiles } from '../../src/render/scaffold-files';
import { readRecord, serverPathOf } from '../../src/render/generated-folder';
import { readWorkspaceOrFail, resolveProject, TargetProject } from '../../src/workspace/workspace';
import { serverRendering } from '../../src/workspace/ssr';
import { Schema } from '../../src/render/schema';
import { generatedFolders } from '../../src/upgrade/generated-folders';

/** --bff: the server middleware in server.ts and the catch-all route rendered per request; planned before any write. */
function bffWiring(tree: Parameters<Rule>[0], project: TargetProject): Rule {
  const { serverEntry } = serverRendering(tree, project.name, project.definition);
  const record = readRecord(tree, project.authPath, project.sourceRoot);
  const server = planBffWiring(tree, serverEntry, record?.context.serverPath ?? serverPathOf(project.sourceRoot));
  const routes = planServerRendered(tree, `${project.sourceRoot}/app/app.routes.server.ts`);
  return writeEdits(server, routes);
}

/**
 * The scaffold, wired into the app, for a workspace already read. Every check runs before any change.
 * The next steps (and, if asked, the provider check) run once the files are written.
 */
export function authRenewIn(workspace: WorkspaceDefinition, schema: Schema, after = { checkProvider: false }): Rule {
  return (tree) => {
    const project = resolveProject(tree, workspace, schema.project, schema.path);
    const options = resolveOptions(withRecordedPreset(tree, project, schema));
    const server = options.bff ? bffWiring(tree, project) : noop();
    const provider = planProvideAuth(tree, project);
    return chain([
      reportPreset(options),
      scaffoldFiles(project, options, !!schema.overwrite, silentRenewPlacement(project).folder,
        () => schema.path ? [] : generatedFolders(tree, workspace).filter((f) => f.project.name === project.name).map((f) => f.project.authPath)),
      options.renewal === 'iframe' && !options.bff ? addSilentRenewAssets(project) : noop(),
      addProvideAuth(provider),
      server,
      addRuntimeDependencies(options),
      scheduleNextSteps(tree, project, schema, after.checkProvider),
    ]);
  };
}

/**
 * A re-run without --provider keeps the preset (and --audience) the folder was generated with,
 * rather than detecting one from the authority again: its config must not change unasked.
 */
function withRecordedPreset(tree: Parameters<Rule>[0], project: TargetProject, schema: Schema): Schema {
  const recorded = schema.provider ? undefined : readRecord(tree, project.authPath, project.sourceRoot);
  if (!recorded || recorded.options.provider === 'generic') return schema;
  return { ...schema, provider: recorded.options.provider, audience: schema.audience ?? (recorded.options.audience || undefined) };
}

/** One line when the authority named the preset; a warning for a preset's combination that may not work. */
function reportPreset(options: ResolvedOptions): Rule {
  return (_tree, context) => {
    if (options.providerFromAuthority) {
      context.logger.info(presetNotice(options.provider, options.authority));
    }
    for (const warning of presetWarnings(options.provider, options)) {
      context.logger.warn(`ngx-auth-renew: --provider ${options.provider}: ${warning}`);
    }
  };
}

/** `ng generate auth-renew`: the scaffold, wired into the app. */
export function authRenew(schema: Schema): Rule {
  return async (tree) => authRenewIn(await readWorkspaceOrFail(tree), schema);
}
