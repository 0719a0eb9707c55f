import { HostTree } from '@angular-devkit/schematics';
import { SchematicTestRunner, UnitTestTree } from '@angular-devkit/schematics/testing';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, plain, sh } from './cli';

/** `ng add` flags of the 0.1.0 app: what 0.1.0's schema.json had (no --dpop, --overwrite). */
export const RELEASE_FLAGS = ['--authority', 'http://localhost:9100', '--client-id', 'spa-code', '--flow', 'code', '--renewal', 'refresh-token'];
/** The same options as the schematic takes them, for the fresh output of the installed release. */
export const RELEASE_OPTIONS = { authority: 'http://localhost:9100', clientId: 'spa-code', flow: 'code', renewal: 'refresh-token' };

/**
 * `ng update` of a package that is already installed, offline: without NG_DISABLE_VERSION_CHECK the
 * CLI first asks the registry for @angular/cli@latest and, when that differs from the CLI in the
 * workspace, installs and runs that one instead (@angular/cli update command, checkCLIVersion).
 */
export const UPDATE = ['update', 'ngx-auth-renew', '--migrate-only', '--from', '0.1.0'];
export const OFFLINE_UPDATE_ENV = { NG_DISABLE_VERSION_CHECK: '1' };

/** What scripts/release-app.ts `make` wrote as the user's edits. */
export interface UserEdits {
  secureRoutes: string;
  api: string;
  serviceLines: string[];
}

/**
 * The 0.1.0 app: `ng add` of the committed 0.1.0 tarball into `dir` (an `ng new` workspace with its
 * node_modules), then the user's edits; the same function (scripts/release-app.ts) makes the e2e app.
 */
export function makeRelease010App(dir: string): { output: string; edits: UserEdits; ms: number } {
  const out = sh('node', [join(ROOT, 'scripts', 'release-app.ts'), 'make', '--dir', dir, '--version', '0.1.0', '--', ...RELEASE_FLAGS], ROOT);
  const last = out.trimEnd().split('\n').pop()!;
  const { ms, edits } = JSON.parse(last) as { ms: number; edits: UserEdits };
  return { output: plain(out), edits, ms };
}

function filesBelow(dir: string, skip: Set<string> = new Set()): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path, skip) : [path];
  });
}

/** sha256 of every file under src/ and of package.json and angular.json, by path. */
export function treeDigest(dir: string): Record<string, string> {
  const files = [...filesBelow(join(dir, 'src')), join(dir, 'package.json'), join(dir, 'angular.json')];
  return Object.fromEntries(files.map((file) => [relative(dir, file), createHash('sha256').update(readFileSync(file)).digest('hex')]));
}

const MARKER = /^(<<<<<<<|\|\|\|\|\|\|\||=======|>>>>>>>)( |$)/m;

/** Files under src/ with a line that starts like a conflict marker. */
export function filesWithConflictMarkers(dir: string): string[] {
  return filesBelow(join(dir, 'src')).filter((file) => MARKER.test(readFileSync(file, 'utf8'))).map((file) => relative(dir, file)).sort();
}

/** One conflict in a file: its sections, and the 1-based line of `<<<<<<<`. */
export interface Conflict {
  line: number;
  labels: [string, string, string];
  ours: string[];
  base: string[];
  theirs: string[];
  /** The file with this conflict resolved to `theirs`. */
  takeTheirs(): string;
}

/** The diff3-style conflicts of a text (`<<<<<<< a` / `||||||| b` / `=======` / `>>>>>>> c`). */
export function conflictsOf(text: string): Conflict[] {
  const lines = text.split('\n');
  const found: Conflict[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('<<<<<<<')) continue;
    const bar = lines.findIndex((l, j) => j > i && l.startsWith('|||||||'));
    const sep = lines.findIndex((l, j) => j > bar && l === '=======');
    const end = lines.findIndex((l, j) => j > sep && l.startsWith('>>>>>>>'));
    if (bar < 0 || sep < 0 || end < 0) throw new Error(`unterminated conflict at line ${i + 1}`);
    const start = i;
    const theirs = lines.slice(sep + 1, end);
    found.push({
      line: i + 1,
      labels: [lines[i].slice(8), lines[bar].slice(8), lines[end].slice(8)],
      ours: lines.slice(i + 1, bar),
      base: lines.slice(bar + 1, sep),
      theirs,
      takeTheirs: () => [...lines.slice(0, start), ...theirs, ...lines.slice(end + 1)].join('\n'),
    });
    i = end;
  }
  return found;
}

/**
 * The summary `ng update` prints: `  <kind>: <files>` lines (replaced, merged, added, ...), the
 * files split on commas and spaces, each as printed (a path or a name). The CLI indents what a
 * migration logs further, so any indentation is taken.
 */
export function summary(output: string): Record<string, string[]> {
  const kinds: Record<string, string[]> = {};
  // `  replaced (not edited since generated): a.ts, b.ts`, `  merged with your edits: …`: keyed by the first word.
  for (const match of plain(output).matchAll(/^\s+([a-z]+)(?: [^:]*)?: (.+)$/gm)) {
    (kinds[match[1]] ??= []).push(...match[2].split(/[,\s]+/).filter(Boolean));
  }
  return kinds;
}

/** True when one of `names` (as printed) is the file `file` (a path relative to the workspace). */
export const names = (printed: string[] | undefined, file: string) =>
  (printed ?? []).some((name) => file === name || file.endsWith(`/${name}`) || name.endsWith(`/${file}`));

/**
 * What the installed release generates fresh for the same options on the same `ng new` workspace
 * (its auth-renew schematic, run in-process from this checkout's build, which is what was packed).
 * Workspace-relative path → text, for every file the run created or changed.
 */
export async function freshOutput(base: string, options: object): Promise<Record<string, string>> {
  const runner = new SchematicTestRunner('ngx-auth-renew', join(ROOT, 'collection.json'));
  const tree = new UnitTestTree(new HostTree());
  const before = new Map<string, Buffer>();
  for (const file of filesBelow(base, new Set(['node_modules', '.angular', 'dist']))) {
    const path = relative(base, file);
    const bytes = readFileSync(file);
    tree.create('/' + path, bytes);
    before.set(path, bytes);
  }
  const after = await runner.runSchematic('auth-renew', options, tree);
  const out: Record<string, string> = {};
  for (const path of after.files.map((p) => p.replace(/^\//, ''))) {
    const bytes = after.read('/' + path)!;
    if (!before.get(path)?.equals(bytes)) out[path] = bytes.toString('utf8');
  }
  return out;
}

/** The files of the generated folder and the silent-renew files, workspace-relative. */
export function generatedFiles(dir: string, folder = 'src/app/auth'): string[] {
  const inFolder = existsSync(join(dir, folder)) ? filesBelow(join(dir, folder)).map((file) => relative(dir, file)) : [];
  const silent = ['src/silent-renew.html', 'src/silent-renew.js'].filter((file) => existsSync(join(dir, file)));
  return [...inFolder, ...silent].sort();
}
