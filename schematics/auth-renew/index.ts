import { chain, noop, Rule } from '@angular-devkit/schematics';
import { WorkspaceDefinition } from '@schematics/angular/utility/workspace';
import { addSilentRenewAssets } from '../../src/asset-entries';
import { addRuntimeDependencies } from '../../src/dependencies';
import { scheduleNextSteps } from '../../src/next-steps';
import { resolveOptions } from '../../src/options';
import { canCheckProvider } from '../../src/provider-check';
import { addProvideAuth, planProvideAuth } from '../../src/root-provider';
import { scaffoldFiles } from '../../src/scaffold-files';
import { readWorkspaceOrFail, resolveProject } from '../../src/workspace';
import { Schema } from './schema';

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
      scaffoldFiles(project, options, !!schema.overwrite),
      options.renewal === 'iframe' ? addSilentRenewAssets(project) : noop(),
      addProvideAuth(provider),
      addRuntimeDependencies(options),
      scheduleNextSteps(tree, project, schema, after.checkProvider && canCheckProvider(options.authority)),
    ]);
  };
}

/** `ng generate auth-renew`: the scaffold, wired into the app. */
export function authRenew(schema: Schema): Rule {
  return async (tree) => authRenewIn(await readWorkspaceOrFail(tree), schema);
}
