import { chain, noop, Rule } from '@angular-devkit/schematics';
import { NextStepsOptions, reportNextSteps } from '../../src/next-steps/next-steps';
import { resolveOptions } from '../../src/render/options';
import { checkProvider } from '../../src/next-steps/provider-check';
import { readWorkspaceOrFail, resolveProject } from '../../src/workspace/workspace';

/**
 * Private: scheduled by `ng add` and `ng generate auth-renew` to run once their files are written.
 * Prints the next steps for the app as it now is, and (ng add) checks the provider's discovery document.
 */
export function nextSteps(options: NextStepsOptions): Rule {
  return async (tree) => {
    const workspace = await readWorkspaceOrFail(tree);
    const project = resolveProject(tree, workspace, options.project, options.path);
    const resolved = resolveOptions(options);
    return chain([
      options.before ? reportNextSteps(project, resolved, options.before) : noop(),
      options.checkProvider ? checkProvider(resolved) : noop(),
    ]);
  };
}
