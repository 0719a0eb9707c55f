import { SchematicsException, Tree } from '@angular-devkit/schematics';
import { ProjectDefinition } from '@schematics/angular/utility/workspace';

/** An application rendered on its own Node server: what --bff needs. */
export interface ServerRendering {
  /** Workspace path of the server entry (`ssr.entry` of the build target): `src/server.ts` */
  serverEntry: string;
}

const ADD_SSR = 'run "ng add @angular/ssr" (a server.ts with Express), then run this again';

/**
 * The server entry of a project built by `@angular/build:application` (or the CLI 20 name
 * `@angular-devkit/build-angular:application`) with `outputMode: "server"`, `server` and
 * `ssr.entry`, as `ng new --ssr` and `ng add @angular/ssr` write it in CLI 20, 21 and 22. Fails
 * with one line otherwise: --bff needs a server of the app's own to keep the tokens in.
 */
export function serverRendering(tree: Tree, name: string, project: ProjectDefinition): ServerRendering {
  const options = project.targets.get('build')?.options ?? {};
  const ssr = options['ssr'];
  const entry = typeof ssr === 'object' && ssr !== null && !Array.isArray(ssr) ? (ssr as { entry?: unknown }).entry : undefined;
  if (!options['server'] || typeof entry !== 'string') {
    throw new SchematicsException(`--bff needs server-side rendering with a server of the app's own, and project "${name}" ` +
      `has none (no "server" and "ssr.entry" in its build options): ${ADD_SSR}.`);
  }
  if (options['outputMode'] !== 'server') {
    throw new SchematicsException(`--bff needs the app's server at run time, and project "${name}" builds with ` +
      `"outputMode": ${JSON.stringify(options['outputMode'] ?? 'static')} (static files only): set "outputMode": "server" ` +
      'in its build options in angular.json, then run this again.');
  }
  const serverEntry = entry.replace(/^\.?\/+/, '');
  if (!tree.exists(serverEntry)) {
    throw new SchematicsException(`--bff: the server entry ${serverEntry} (ssr.entry in angular.json) does not exist: ${ADD_SSR}.`);
  }
  return { serverEntry };
}
