import { chain, noop, Rule } from '@angular-devkit/schematics';
import { addSilentRenewAssets } from '../../src/asset-entries';
import { addRuntimeDependencies } from '../../src/dependencies';
import { reportNextSteps } from '../../src/next-steps';
import { resolveOptions } from '../../src/options';
import { addProvideAuth, planProvideAuth } from '../../src/root-provider';
import { scaffoldFiles } from '../../src/scaffold-files';
import { readWorkspaceOrFail, resolveProject } from '../../src/workspace';
import { Schema } from './schema';

/** `ng generate auth-renew`: the scaffold, wired into the app. Every check runs before any change. */
export function authRenew(schema: Schema): Rule {
  return async (tree) => {
    const workspace = await readWorkspaceOrFail(tree);
    const project = resolveProject(tree, workspace, schema.project, schema.path);
    const options = resolveOptions(schema);
    const provider = planProvideAuth(tree, project);
    return chain([
      scaffoldFiles(project, options, !!schema.overwrite),
      options.renewal === 'iframe' ? addSilentRenewAssets(project) : noop(),
      addProvideAuth(provider),
      addRuntimeDependencies(options),
      reportNextSteps(tree, project, options),
    ]);
  };
}
