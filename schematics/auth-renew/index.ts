import { chain, noop, Rule } from '@angular-devkit/schematics';
import { WorkspaceDefinition } from '@schematics/angular/utility/workspace';
import { addSilentRenewAssets, silentRenewPlacement } from '../../src/workspace/asset-entries';
import { addRuntimeDependencies } from '../../src/workspace/dependencies';
import { scheduleNextSteps } from '../../src/next-steps/next-steps';
import { resolveOptions } from '../../src/render/options';
import { addProvideAuth, planProvideAuth } from '../../src/ts/root-provider';
import { scaffoldFiles } from '../../src/render/scaffold-files';
import { readWorkspaceOrFail, resolveProject } from '../../src/workspace/workspace';
import { Schema } from '../../src/render/schema';

/**
 * The scaffold, wired into the app, for a workspace already read. Every check runs before any change.
 * The next steps (and, if asked, the provider check) run once the files are written.
 */
export function authRenewIn(workspace: WorkspaceDefinition, schema: Schema, after = { checkProvider: false }): Rule {
  return (tree) => {
    const project = resolveProject(tree, workspace, schema.project, schema.path);
    const options = resolveOptions(schema);
    const provider = planProvideAuth(tree, project);
    return chain([
      scaffoldFiles(project, options, !!schema.overwrite, silentRenewPlacement(project).folder),
      options.renewal === 'iframe' ? addSilentRenewAssets(project) : noop(),
      addProvideAuth(provider),
      addRuntimeDependencies(options),
      scheduleNextSteps(tree, project, schema, after.checkProvider),
    ]);
  };
}

/** `ng generate auth-renew`: the scaffold, wired into the app. */
export function authRenew(schema: Schema): Rule {
  return async (tree) => authRenewIn(await readWorkspaceOrFail(tree), schema);
}
