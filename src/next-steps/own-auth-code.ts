import { posix } from 'node:path';
import { specifierFor } from '../ts/module-paths';
import { namedImports } from '../ts/ts-imports';
import { ParsedSources } from '../ts/parsed-sources';
import { SourceFile } from '../workspace/project-sources';
import { CURRENT_VERSION, history } from '../render/releases';
import { descendants } from '../ts/ts-ast';
import { ts } from '../ts/typescript';

/** The file of the app's own `class AuthService`, if it has one. */
export function ownAuthService(files: SourceFile[], sources: ParsedSources): string | undefined {
  return files.filter((file) => /class\s+AuthService\b/.test(file.text)).map((file) => sources.parse(file)).find((source) =>
    descendants(source).some((node) => ts.isClassDeclaration(node) && node.name?.text === 'AuthService'))?.fileName;
}

/** Names of every file the scaffold can write into the auth folder, whatever the options (this release's templates). */
function scaffoldNames(): Set<string> {
  const templates = Object.keys(history().releases[CURRENT_VERSION] ?? {});
  return new Set(templates.filter((path) => path.startsWith('auth/'))
    .map((path) => path.slice(path.lastIndexOf('/') + 1).replace(/\.template$/, '')));
}

/** Files of the folder (paths relative to it) that the scaffold never writes. */
export function foreignFiles(files: string[]): string[] {
  const ours = scaffoldNames();
  return files.filter((file) => !ours.has(file));
}

/**
 * What to do with an AuthService of the app's own next to the generated one. They are separate
 * classes in separate folders (another --path would only make one more): the generated provideAuth,
 * authGuard and authInterceptor use the generated one; a file that injects both imports the
 * generated one under another name. The example import is written from the first file that
 * imports the app's own AuthService, else from the folder above the generated one.
 */
export function ownAuthServiceStep(own: string, files: SourceFile[], sources: ParsedSources, authPath: string): string {
  const generated = `${authPath}/auth.service`;
  const ownModule = own.replace(/\.ts$/, '');
  const consumer = files.filter((file) => file.path !== own && /\bAuthService\b/.test(file.text)).find((file) =>
    [...namedImports(sources.parse(file)).values()].some((i) => i.name === 'AuthService' && i.module === ownModule))?.path;
  const example = consumer
    ? `in ${consumer} (it imports yours): import { AuthService as OidcAuthService } from '${specifierFor(consumer, generated)}'`
    : `from ${posix.dirname(authPath)}/: import { AuthService as OidcAuthService } from '${specifierFor(`${posix.dirname(authPath)}/x.ts`, generated)}'`;
  return `${own} has an AuthService of its own; the generated one (${generated}.ts) is a separate class, and ` +
    `provideAuth, authGuard and authInterceptor use it. Inject the generated one where you need the session and tokens, ` +
    `under another name where a file also uses yours, e.g. ${example}, then inject(OidcAuthService).`;
}
