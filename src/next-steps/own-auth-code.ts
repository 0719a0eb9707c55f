import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ParsedSources } from '../ts/parsed-sources';
import { SourceFile } from '../workspace/project-sources';
import { TEMPLATES } from '../render/template-files';
import { descendants } from '../ts/ts-ast';
import { ts } from '../ts/typescript';

/** The file of the app's own `class AuthService`, if it has one. */
export function ownAuthService(files: SourceFile[], sources: ParsedSources): string | undefined {
  return files.filter((file) => /class\s+AuthService\b/.test(file.text)).map((file) => sources.parse(file)).find((source) =>
    descendants(source).some((node) => ts.isClassDeclaration(node) && node.name?.text === 'AuthService'))?.fileName;
}

/** Names of every file the scaffold can write into the auth folder, whatever the options. */
function scaffoldNames(): Set<string> {
  const auth = join(TEMPLATES, 'auth');
  return new Set(readdirSync(auth).flatMap((variant) =>
    readdirSync(join(auth, variant)).map((name) => name.replace(/\.template$/, ''))));
}

/** Files of the folder (paths relative to it) that the scaffold never writes. */
export function foreignFiles(files: string[]): string[] {
  const ours = scaffoldNames();
  return files.filter((file) => !ours.has(file));
}
