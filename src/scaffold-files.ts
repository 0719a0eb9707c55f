import { strings } from '@angular-devkit/core';
import {
  apply, applyTemplates, filter, forEach, MergeStrategy, mergeWith, move, noop, Rule, SchematicsException, url,
} from '@angular-devkit/schematics';
import { join } from 'node:path';
import { ResolvedOptions } from './options';
import { TargetProject } from './workspace';

const TEMPLATES = join(__dirname, '..', '..', 'templates');

/**
 * The code with what formatters change taken out (white space, commas, semicolons, parentheses,
 * quote style). Angular CLI 21+ runs the workspace's prettier over every file a schematic writes,
 * so a file written by an earlier run may differ from the template in formatting only.
 */
function formatInsensitive(code: string): string {
  return code.replace(/[\s,;()]/g, '').replace(/["`]/g, "'");
}

/** True when `existing` is the file this schematic writes, formatted or not. */
export function isSameFile(existing: Buffer, written: Buffer): boolean {
  return existing.equals(written) || formatInsensitive(existing.toString()) === formatInsensitive(written.toString());
}

/**
 * Writes one template folder into `destination`. A file that is already there with the same
 * content is skipped (so a second run changes nothing); one with other content stops the run.
 */
function writeTemplates(folder: string, destination: string, options: ResolvedOptions): Rule {
  return (host) => mergeWith(apply(url(join(TEMPLATES, folder)), [
    options.skipTests ? filter((path) => !/\.(spec|testing)\.ts$/.test(path)) : noop(),
    applyTemplates({ ...strings, ...options }),
    move(destination),
    forEach((entry) => {
      if (!host.exists(entry.path)) {
        return entry;
      }
      const existing = host.read(entry.path);
      if (existing && isSameFile(existing, entry.content)) {
        return null;
      }
      throw new SchematicsException(
        `${entry.path.replace(/^\//, '')} already exists and differs from what ngx-auth-renew writes; ` +
        'it was left untouched. Move or delete it, or pass --path <another folder>.');
    }),
  ]), MergeStrategy.Error);
}

/** The template folders for the chosen flow and renewal, and where each goes. */
export function scaffoldFiles(project: TargetProject, options: ResolvedOptions): Rule[] {
  const storage = options.storage === 'local' ? 'storage-local' : 'storage-tab';
  const variants = ['common', options.flow, options.renewal, storage, ...(options.dpop ? ['dpop'] : [])];
  const auth = variants.map((variant) =>
    writeTemplates(`auth/${variant}`, project.authPath, options));
  const silentRenew = options.renewal === 'iframe'
    ? [writeTemplates('silent-renew', project.sourceRoot, options)]
    : [];
  return [...auth, ...silentRenew];
}
