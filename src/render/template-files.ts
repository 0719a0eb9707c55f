import { strings, template } from '@angular-devkit/core';
import { readdirSync, readFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { join } from 'node:path';

/** The template folders, shipped with the package. */
export const TEMPLATES = join(__dirname, '..', '..', '..', 'templates');

/**
 * The files of one template folder as `applyTemplates` makes them: a `*.template` file filled in
 * with `values` (line endings as the OS's, as the CLI does) and named without the suffix; every
 * other file as it is. Keyed by the path relative to the folder, '/'-separated.
 *
 * Read straight from disk: a `url()` source per folder cost about 15 ms of each `ng add` for the
 * same result (timed per rule in `ng add --dry-run`, Angular CLI 22).
 */
export function readTemplateFolder(folder: string, values: object): Map<string, Buffer> {
  const root = join(TEMPLATES, folder);
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) {
      continue;
    }
    const full = join(entry.parentPath, entry.name);
    const path = full.slice(root.length + 1).split(/[\\/]/).join('/');
    const content = readFileSync(full);
    if (path.endsWith('.template')) {
      const filled = template(content.toString('utf8').replace(/\r?\n/g, EOL), {})({ ...strings, ...values });
      files.set(path.slice(0, -'.template'.length), Buffer.from(filled));
    } else {
      files.set(path, content);
    }
  }
  return files;
}
