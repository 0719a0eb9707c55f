import { strings, template } from '@angular-devkit/core';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { join } from 'node:path';
import { ResolvedOptions } from './options';

/** The package's root folder (this file runs from dist/src/render/). */
export const PACKAGE_ROOT = join(__dirname, '..', '..', '..');

/** The version of the installed ngx-auth-renew. */
export const CURRENT_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

/** What decides which files a release writes and what they hold: the options but --skip-install, --skip-tests decided. */
export type RenderOptions = Omit<ResolvedOptions, 'skipInstall' | 'skipTests' | 'providerFromAuthority'> & { skipTests: boolean };

/** Where the files go and how specs are written: the workspace side of a render. */
export interface RenderContext {
  /** Workspace-relative folder of the auth files: `src/app/auth` */
  authPath: string;
  /** Workspace-relative folder of silent-renew.html/.js (iframe renewal): `src` or `public` */
  silentRenewPath: string;
  /** Specs import describe/it/expect from 'vitest' (a Vitest app; since 0.2.0). */
  vitestImports: boolean;
  /** Workspace-relative folder of the server half (--bff only, since 0.3.0): `src/server/bff` */
  serverPath?: string;
}

/** How one release lays its templates out. Releases only ever get added to this table. */
export interface Release {
  version: string;
  /** The template folders these options use, in order (a later folder's file wins). */
  folders(options: RenderOptions): string[];
  /** Whether the release added vitest imports to specs in Vitest apps. */
  vitestImports: boolean;
  /** Files this release renamed, old → new, relative to the folder they are generated into (`auth/…`, `silent-renew/…`). */
  renamed: Record<string, string>;
}

const variantFolders = (options: RenderOptions, extra: string[]) =>
  ['auth/common', `auth/${options.flow}`, `auth/${options.renewal}`, ...extra,
    ...(options.renewal === 'iframe' ? ['silent-renew'] : [])];

/** 0.2.0 on: the tab-sync variant of the storage, and the DPoP files. */
const withTabSyncAndDpop = (options: RenderOptions) => variantFolders(options, [
  options.storage === 'local' ? 'auth/storage-local' : 'auth/storage-tab',
  ...(options.dpop ? ['auth/dpop'] : []),
]);

/** Every release, oldest first. Its templates are in migrations/history.json. */
export const RELEASES: readonly Release[] = [
  {
    version: '0.1.0',
    folders: (options) => variantFolders(options, []),
    vitestImports: false,
    renamed: {},
  },
  { version: '0.2.0', folders: withTabSyncAndDpop, vitestImports: true, renamed: {} },
  {
    version: '0.3.0',
    folders: (options) => (options.bff ? ['auth/bff', 'server/bff'] : withTabSyncAndDpop(options)),
    vitestImports: true,
    renamed: {},
  },
  {
    version: '0.3.1',
    folders: (options) => (options.bff
      ? ['auth/bff', 'server/bff', ...(options.dpop ? ['server/bff-dpop'] : [])]
      : withTabSyncAndDpop(options)),
    vitestImports: true,
    renamed: {},
  },
];

/** -1, 0 or 1 as version a is before, the same as or after b (x.y.z numbers only). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) {
      return (pa[i] ?? 0) < (pb[i] ?? 0) ? -1 : 1;
    }
  }
  return 0;
}

export function releaseOf(version: string, releases: readonly Release[] = RELEASES): Release | undefined {
  return releases.find((release) => release.version === version);
}

/** The templates of every release: per version, template path → blob id; blobs by id. */
export interface History {
  releases: Record<string, Record<string, string>>;
  blobs: Record<string, string>;
}

export const HISTORY_FILE = join(PACKAGE_ROOT, 'migrations', 'history.json');

let loaded: History | undefined;

/** migrations/history.json, read once. */
export function history(): History {
  loaded ??= JSON.parse(readFileSync(HISTORY_FILE, 'utf8')) as History;
  return loaded;
}

/** The id a blob is stored under: the first 16 hex digits of its SHA-256. */
export function blobId(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/**
 * The files of one template folder of one release, as `applyTemplates` makes them: a `*.template`
 * file filled in with `values` (line endings as the OS's, as the CLI does) and named without the
 * suffix; every other file as it is. Keyed by the path relative to the folder, '/'-separated.
 */
export function releaseTemplateFolder(version: string, folder: string, values: object, from: History = history()): Map<string, Buffer> {
  const templates = from.releases[version];
  if (!templates) {
    throw new Error(`ngx-auth-renew ${version} is not in migrations/history.json`);
  }
  const files = new Map<string, Buffer>();
  const prefix = `${folder}/`;
  for (const [path, id] of Object.entries(templates)) {
    if (!path.startsWith(prefix)) {
      continue;
    }
    const name = path.slice(prefix.length);
    const content = from.blobs[id];
    if (name.endsWith('.template')) {
      const filled = template(content.replace(/\r?\n/g, EOL), {})({ ...strings, ...values });
      files.set(name.slice(0, -'.template'.length), Buffer.from(filled));
    } else {
      files.set(name, Buffer.from(content));
    }
  }
  return files;
}
