import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions, PACKAGE_ROOT } from '../render/releases';

export interface ChangelogEntry {
  version: string;
  security: boolean;
  /** The bullet as one line, markdown emphasis removed. */
  text: string;
}

/** The bullets of CHANGELOG.md (`## <version> — <date>` sections, `- ` bullets), each as one line. */
export function parseChangelog(markdown: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let version: string | undefined;
  let current: ChangelogEntry | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^## (\d+\.\d+\.\d+)\b/.exec(line);
    if (heading || /^#{1,3} /.test(line)) {
      version = heading ? heading[1] : version;
      current = undefined;
    } else if (version && line.startsWith('- ')) {
      const text = line.slice(2).trim();
      current = { version, security: /^\*\*Security:?\*\*/.test(text), text };
      entries.push(current);
    } else if (current && /^\s+\S/.test(line)) {
      current.text += ` ${line.trim()}`;
    } else {
      current = undefined;
    }
  }
  return entries.map((entry) => ({ ...entry, text: entry.text.replace(/\*\*/g, '') }));
}

/** The entries of the releases after `from` up to `to`, security fixes first, newest release first within each. */
export function changesSince(from: string, to: string, markdown = readChangelog()): ChangelogEntry[] {
  const since = parseChangelog(markdown).filter((e) => compareVersions(e.version, from) > 0 && compareVersions(e.version, to) <= 0);
  return [...since.filter((e) => e.security), ...since.filter((e) => !e.security)];
}

function readChangelog(): string {
  const path = join(PACKAGE_ROOT, 'CHANGELOG.md');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** `What changed for you since 0.1.0:` and one line per entry (`  0.2.0  Security: …`). */
export function changelogLines(from: string, to: string, markdown?: string): string[] {
  const entries = changesSince(from, to, markdown);
  if (!entries.length) {
    return [];
  }
  return [`What changed for you since ${from} (CHANGELOG.md of ngx-auth-renew, security fixes first):`,
    ...entries.map((e) => `  ${e.version}  ${e.text}`)];
}
