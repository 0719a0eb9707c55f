import { Rule, Tree } from '@angular-devkit/schematics';
import { RunSchematicTask } from '@angular-devkit/schematics/tasks';
import { Schema } from '../render/schema';
import { authorizationInterceptorSteps } from './authorization-interceptors';
import { cspSteps } from './csp';
import { baseHref } from '../workspace/index-html';
import { bffSteps } from './bff-steps';
import { interceptorSteps } from './interceptor-setup';
import { ResolvedOptions } from '../render/options';
import { foreignFiles, ownAuthService, ownAuthServiceStep } from './own-auth-code';
import { ParsedSources } from '../ts/parsed-sources';
import { projectSources } from '../workspace/project-sources';
import { silentRenewPlacement } from '../workspace/asset-entries';
import { TargetProject } from '../workspace/workspace';
import { TestSetup, testSetupOf, writesSpecs } from '../render/test-runner';

/** Files below `folder` (relative to it), and the silent-renew page: what the scaffold can create. */
function scaffoldState(tree: Tree, project: TargetProject): { folder: string[]; page: boolean } {
  const folder: string[] = [];
  tree.getDir(project.authPath).visit((path) => {
    folder.push(path.slice(project.authPath.length + 2));
  });
  return { folder, page: tree.exists(`${silentRenewPlacement(project).folder}/silent-renew.html`) };
}

/** What the specs need to know about the app's test runner, in one line; nothing for Vitest and Karma. */
export function testRunnerStep(setup: TestSetup, skipTests: boolean | undefined, authPath: string): string | undefined {
  if (skipTests === true) {
    return undefined;
  }
  if (setup.runner === 'none') {
    return writesSpecs(setup, { skipTests })
      ? `This project has no test runner (${setup.source}): the spec files in ${authPath}/ were written as --skip-tests=false asks, and nothing runs them until you add one.`
      : `This project has no test runner (${setup.source}): no spec files were written; add one (a test target in angular.json) and run again with --skip-tests=false to get them.`;
  }
  if (setup.runner === 'jest') {
    return `Your tests run on Jest (${setup.source}): the specs in ${authPath}/ use its globals (describe, it, expect, no imports) and TestBed, ` +
      'as they do under Karma; Jest needs a browser-like environment for them (jest-preset-angular with jsdom).';
  }
  if (setup.runner === 'other') {
    return `Your ${setup.source} is not one ngx-auth-renew knows: the specs in ${authPath}/ are written as for Karma/Jasmine (global describe, it, expect; no imports).`;
  }
  return undefined;
}

/** The next steps, one a line, for a run that created files in a folder that held `before`. */
function steps(tree: Tree, project: TargetProject, options: ResolvedOptions, before: string[]): string[] {
  if (options.bff) {
    return bffSteps(tree, project, options);
  }
  const parsed = new ParsedSources();
  const base = baseHref(tree, project);
  const redirects = options.renewal === 'iframe'
    ? `the redirect URIs <origin>${base} and <origin>${base}silent-renew.html`
    : `the redirect URI <origin>${base}`;
  const sources = projectSources(tree, project.sourceRoot, project.authPath);
  const lines = [
    `At ${options.authority}, allow client "${options.clientId}" ${redirects} and the post-logout redirect URI <origin>${base}.`,
    ...interceptorSteps(sources, project.authPath, parsed),
    ...authorizationInterceptorSteps(sources, parsed),
    `To send the access token to your API, add its base URL (origin and path, e.g. 'https://api.example.com/v1') to secureRoutes in ${project.authPath}/auth.config.ts.`,
    ...cspSteps(tree, project, sources, parsed, options.authority, options.renewal),
  ];
  const service = ownAuthService(sources, parsed);
  if (service) {
    lines.push(ownAuthServiceStep(service, sources, parsed, project.authPath));
  }
  const foreign = foreignFiles(before);
  if (foreign.length) {
    lines.push(`${project.authPath}/ already held files of your own (${foreign.join(', ')}): the generated files were added next to them; ` +
      'to keep them apart, remove the generated files and run again with --path <another folder>.');
  }
  const runner = testRunnerStep(testSetupOf(tree, project.definition), options.skipTests, project.authPath);
  return runner ? [...lines, runner] : lines;
}

/** What the `next-steps` schematic is told by the run that schedules it. */
export interface NextStepsOptions extends Schema {
  /** Files of the generated folder before the run (relative to it); absent when the run created nothing. */
  before?: string[];
  /** Also read the provider's discovery document (ng add). */
  checkProvider?: boolean;
}

/**
 * Schedules the `next-steps` schematic to run once the files are written (as the CLI runs an
 * install), so that what the user still has to do is printed after the list of files, not above
 * it. Takes the tree before any change: a run that creates no file (a second identical run) says
 * nothing, and only the provider check is scheduled, if asked for. A run that fails, or a dry run,
 * runs no task: nothing is said and the provider is not asked.
 */
export function scheduleNextSteps(tree: Tree, project: TargetProject, schema: Schema, checkProvider: boolean): Rule {
  const before = scaffoldState(tree, project);
  return (after, context) => {
    const now = scaffoldState(after, project);
    const created = now.folder.some((file) => !before.folder.includes(file)) || (now.page && !before.page);
    if (created || checkProvider) {
      const options: NextStepsOptions = { ...schema, before: created ? before.folder : undefined, checkProvider };
      context.addTask(new RunSchematicTask('next-steps', options));
    }
  };
}

/** The next steps, fitted to the app as it is now written; and why implicit is discouraged. */
export function reportNextSteps(project: TargetProject, options: ResolvedOptions, before: string[]): Rule {
  return (tree, context) => {
    if (options.flow === 'implicit') {
      context.logger.warn('The implicit flow is deprecated by RFC 9700 (OAuth 2.0 Security BCP): ' +
        'prefer --flow code, which uses PKCE and keeps tokens out of the URL.');
    }
    const lines = steps(tree, project, options, before);
    context.logger.info(['ngx-auth-renew: next steps', ...lines.map((line) => `  - ${line}`)].join('\n'));
  };
}
