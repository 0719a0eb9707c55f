import { join, normalize } from '@angular-devkit/core';
import { SchematicsException, Tree } from '@angular-devkit/schematics';
import { getWorkspace, ProjectDefinition, WorkspaceDefinition } from '@schematics/angular/utility/workspace';
import { parse, ParseError, printParseErrorCode } from 'jsonc-parser';

/** The application project the scaffold goes into, with the paths the rules need. */
export interface TargetProject {
  name: string;
  definition: ProjectDefinition;
  /** Workspace-relative, no leading slash: `src` */
  sourceRoot: string;
  /** Workspace-relative folder of the generated files: `src/app/auth` */
  authPath: string;
  /** The browser entry point: `src/main.ts` */
  mainPath: string;
}

function fail(message: string): never {
  throw new SchematicsException(message);
}

const WORKSPACE_FILE = '/angular.json';

/** Reads angular.json with an actionable message when it is missing or broken. */
export async function readWorkspaceOrFail(tree: Tree): Promise<WorkspaceDefinition> {
  if (!tree.exists(WORKSPACE_FILE)) {
    fail('No angular.json here: run this inside an Angular CLI workspace (ng new my-app, then cd my-app).');
  }
  const text = tree.readText(WORKSPACE_FILE);
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const { error, offset } = errors[0];
    const line = text.slice(0, offset).split('\n').length;
    fail(`angular.json is not valid JSON (${printParseErrorCode(error)} at line ${line}); fix the file and run again.`);
  }
  try {
    return await getWorkspace(tree, WORKSPACE_FILE);
  } catch (e) {
    return fail(`angular.json could not be read: ${(e as Error).message.split('\n')[0]} Fix the file and run again.`);
  }
}

function clean(path: string): string {
  return path.replace(/\\/g, '/').split('/').reduce<string[]>((parts, part) => {
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
    return parts;
  }, []).join('/').replace(/^\/+/, '').replace(/\/+$/, '');
}

function isInside(child: string, parent: string): boolean {
  if (parent === '') {
    return !child.startsWith('..');
  }
  return child === parent || child.startsWith(parent + '/');
}

/** Picks the project (the named one, else the first application) and checks it can take the scaffold. */
export function resolveProject(
  tree: Tree,
  workspace: WorkspaceDefinition,
  requested: string | undefined,
  path: string | undefined,
): TargetProject {
  const names = [...workspace.projects.keys()];
  const name = requested ?? names.find((n) => workspace.projects.get(n)?.extensions['projectType'] === 'application');
  if (!name) {
    fail('This workspace has no application project: create one with "ng generate application <name>" first.');
  }
  const definition = workspace.projects.get(name);
  if (!definition) {
    fail(`Project "${name}" does not exist in angular.json; projects: ${names.join(', ') || '(none)'}.`);
  }
  if (definition.extensions['projectType'] !== 'application') {
    fail(`Project "${name}" is a ${definition.extensions['projectType'] ?? 'non-application'} project; ` +
      'ngx-auth-renew needs an application: pass --project <application>.');
  }
  const root = clean(definition.root ?? '');
  const sourceRoot = clean(definition.sourceRoot ?? join(normalize(root), 'src'));
  const buildOptions = definition.targets.get('build')?.options ?? {};
  const main = (buildOptions['browser'] ?? buildOptions['main']) as string | undefined;
  if (typeof main !== 'string' || !tree.exists(main)) {
    fail(`Project "${name}" has no main file${main ? ` (${main} does not exist)` : ''}: ` +
      'its build target needs a "browser" (or "main") entry point that exists.');
  }
  const authPath = clean(path ?? `${sourceRoot}/app/auth`);
  if (!isInside(authPath, root)) {
    fail(`--path "${path}" is outside project "${name}" (root "${root || '.'}"): choose a folder inside it.`);
  }
  return { name, definition, sourceRoot, authPath, mainPath: clean(main) };
}
