import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SourceFile } from './project-sources';
import { descendants, parse, typescript } from './ts-ast';

const TEMPLATES = join(__dirname, '..', '..', 'templates', 'auth');

/** The file of the app's own `class AuthService`, if it has one. */
export function ownAuthService(sources: SourceFile[]): string | undefined {
  const { isClassDeclaration } = typescript();
  return sources.filter((file) => /class\s+AuthService\b/.test(file.text)).map(parse).find((source) =>
    [...descendants(source)].some((node) => isClassDeclaration(node) && node.name?.text === 'AuthService'))?.fileName;
}

/** Names of every file the scaffold can write into the auth folder, whatever the options. */
function scaffoldNames(): Set<string> {
  return new Set(readdirSync(TEMPLATES).flatMap((variant) =>
    readdirSync(join(TEMPLATES, variant)).map((name) => name.replace(/\.template$/, ''))));
}

/** Files of the folder (paths relative to it) that the scaffold never writes. */
export function foreignFiles(files: string[]): string[] {
  const ours = scaffoldNames();
  return files.filter((file) => !ours.has(file));
}
