// Records a release's templates in migrations/history.json, so that every later release can
// rebuild exactly what it generated (the base of the three-way merge of `ng update`), offline.
//
//   node scripts/record-release.ts                  the current templates/ as package.json's version
//                                                   (npm run build runs this)
//   node scripts/record-release.ts <version> <rev>  templates/ of a git revision as <version>
//
// A version whose CHANGELOG.md heading carries a date is released: its entry is frozen, and a
// change to templates/ then needs a new version.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HISTORY = join(ROOT, 'migrations', 'history.json');

interface History {
  releases: Record<string, Record<string, string>>;
  blobs: Record<string, string>;
}

const blobId = (content: string) => createHash('sha256').update(content).digest('hex').slice(0, 16);

function workingTreeTemplates(): Map<string, string> {
  const root = join(ROOT, 'templates');
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const full = join(entry.parentPath, entry.name);
    const path = relative(root, full).split(/[\\/]/).join('/');
    if (entry.isFile() && path.includes('/')) { // templates/.prettierrc is not generated
      files.set(path, readFileSync(full, 'utf8'));
    }
  }
  return files;
}

function gitTemplates(rev: string): Map<string, string> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const files = new Map<string, string>();
  for (const path of git('ls-tree', '-r', '--name-only', rev, 'templates/').trim().split('\n')) {
    const name = path.slice('templates/'.length);
    if (name.includes('/')) {
      files.set(name, git('show', `${rev}:${path}`));
    }
  }
  return files;
}

/** True when CHANGELOG.md's heading for `version` has a date: `## 0.2.0 — 2026-11-27`. */
function isReleased(version: string): boolean {
  const changelog = existsSync(join(ROOT, 'CHANGELOG.md')) ? readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8') : '';
  const escaped = version.replace(/\./g, '\\.');
  return new RegExp(`^## ${escaped} — \\d{4}-\\d{2}-\\d{2}\\s*$`, 'm').test(changelog);
}

const [versionArg, rev] = process.argv.slice(2);
const version = versionArg ?? JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
const files = rev ? gitTemplates(rev) : workingTreeTemplates();
const history: History = existsSync(HISTORY) ? JSON.parse(readFileSync(HISTORY, 'utf8')) : { releases: {}, blobs: {} };

const entry: Record<string, string> = {};
for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  const id = blobId(content);
  history.blobs[id] = content;
  entry[path] = id;
}
const before = JSON.stringify(history.releases[version] ?? null);
if (before !== JSON.stringify(entry)) {
  if (history.releases[version] && isReleased(version)) {
    console.error(`templates/ differ from what ngx-auth-renew ${version} generated, and ${version} is released ` +
      '(CHANGELOG.md gives its date): raise the version in package.json and add its CHANGELOG.md entry.');
    process.exit(1);
  }
  history.releases[version] = entry;
}
// Blobs no release uses any more (a template changed before its release) are dropped.
const used = new Set(Object.values(history.releases).flatMap((release) => Object.values(release)));
history.blobs = Object.fromEntries(Object.entries(history.blobs).filter(([id]) => used.has(id)).sort(([a], [b]) => a.localeCompare(b)));
const releases = Object.fromEntries(Object.entries(history.releases).sort(([a], [b]) => compare(a, b)));
writeFileSync(HISTORY, `${JSON.stringify({ releases, blobs: history.blobs }, null, 1)}\n`);

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}
