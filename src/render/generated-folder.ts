import { Tree } from '@angular-devkit/schematics';
import { parse } from 'jsonc-parser';
import { Flow, Renewal, ResolvedOptions, Storage } from './options';
import { RenderContext, RenderOptions } from './releases';
import { PROVIDERS, ProviderPreset } from './presets';

/** The options that decide which files are generated (besides config values). */
export type ShapeOptions = Pick<ResolvedOptions, 'flow' | 'renewal' | 'storage' | 'dpop'> & { bff?: boolean };

/** The file in every generated folder (since 0.3.0) that records the release and options that made it. */
export const RECORD_FILE = 'ngx-auth-renew.json';

/** What generated a folder: enough to rebuild that release's files exactly. */
export interface FolderRecord {
  version: string;
  options: RenderOptions;
  context: RenderContext;
  /** Where it was read: the record file (0.3.0+), the marker line (0.2.0) or the flow comment (0.1.0). */
  source: 'record' | 'marker' | 'comment';
}

/** Where --bff writes the server half: next to server.ts, outside app/ (which the browser bundle is built from). */
export function serverPathOf(sourceRoot: string): string {
  return [sourceRoot, 'server', 'bff'].filter(Boolean).join('/');
}

/** The first line of auth.config.ts written by 0.2.0: `// ngx-auth-renew: flow=code renewal=iframe storage=session[ dpop]`. */
const MARKER = /^\/\/ ngx-auth-renew: flow=(code|implicit) renewal=(refresh-token|iframe) storage=(session|local|memory)( dpop)?\s*$/m;
/** auth.config.ts of 0.1.0: the flow comment (the storage is read with the other values). */
const LEGACY_COMMENT = /^\/\/ Flow: (authorization code|implicit)[^;]*; renewal: (refresh token|hidden iframe)/m;

const FLOWS = ['code', 'implicit'];
const RENEWALS = ['refresh-token', 'iframe'];
const STORAGES = ['session', 'local', 'memory'];

/** A string property of the config object as written: `authority: 'https://…',` */
function stringValue(config: string, name: string): string | undefined {
  return new RegExp(`^\\s*${name}:\\s*(['"\`])(.*?)\\1`, 'm').exec(config)?.[2];
}

/**
 * The config values of an auth.config.ts written before the record file. Values the user has
 * replaced (by an environment variable, say) are read as placeholders: the base and the new
 * release's file then hold the same placeholder, so the user's line is kept by the merge.
 */
function configValues(config: string): Pick<RenderOptions, 'authority' | 'clientId' | 'scope' | 'renewBefore' | 'storage'> {
  const storage = stringValue(config, 'storage');
  const renewBefore = /^\s*renewBeforeSeconds:\s*(\d+)\s*,/m.exec(config)?.[1];
  return {
    authority: stringValue(config, 'authority') ?? '',
    clientId: stringValue(config, 'clientId') ?? '',
    scope: stringValue(config, 'scope') ?? '',
    renewBefore: renewBefore === undefined ? 30 : Number(renewBefore),
    storage: (STORAGES.includes(storage ?? '') ? storage : 'session') as Storage,
  };
}

/** The specs of a folder written before the record file: none, or whether they import from 'vitest'. */
function specsIn(tree: Tree, authPath: string): { any: boolean; vitest: boolean } {
  const specs = tree.getDir(authPath).subfiles.filter((name) => name.endsWith('.spec.ts'));
  return {
    any: specs.length > 0,
    vitest: specs.some((name) => /^import \{[^}]*\} from 'vitest';/m.test(tree.readText(`${authPath}/${name}`))),
  };
}

function recordFile(tree: Tree, authPath: string, sourceRoot: string): FolderRecord | undefined {
  const path = `${authPath}/${RECORD_FILE}`;
  if (!tree.exists(path)) {
    return undefined;
  }
  const json = parse(tree.readText(path), [], { allowTrailingComma: true }) as Partial<RecordJson> | undefined;
  const o = json?.options;
  if (!json || typeof json.version !== 'string' || !o || !FLOWS.includes(o.flow) || !RENEWALS.includes(o.renewal) ||
    !STORAGES.includes(o.storage)) {
    return undefined;
  }
  return {
    version: json.version,
    options: {
      authority: String(o.authority), clientId: String(o.clientId), flow: o.flow, renewal: o.renewal,
      renewBefore: Number(o.renewBefore), scope: String(o.scope), storage: o.storage, dpop: !!o.dpop, bff: !!o.bff,
      skipTests: !!o.skipTests,
      provider: o.provider && PROVIDERS.includes(o.provider) ? o.provider : 'generic',
      audience: typeof o.audience === 'string' ? o.audience : '',
    },
    context: { authPath, silentRenewPath: json.silentRenew ?? sourceRoot, vitestImports: json.specs === 'vitest',
      ...(o.bff ? { serverPath: json.server ?? serverPathOf(sourceRoot) } : {}) },
    source: 'record',
  };
}

/**
 * What generated `authPath`: its record file (0.3.0 and later), else the marker line of its
 * auth.config.ts (0.2.0), else the flow comment of its auth.config.ts (0.1.0); undefined when the
 * folder holds none of them (a first run, or files of the user's own). `sourceRoot` is where the
 * releases before the record file wrote silent-renew.html.
 */
export function readRecord(tree: Tree, authPath: string, sourceRoot: string): FolderRecord | undefined {
  const recorded = recordFile(tree, authPath, sourceRoot);
  if (recorded) {
    return recorded;
  }
  const configPath = `${authPath}/auth.config.ts`;
  const config = tree.exists(configPath) ? tree.readText(configPath) : undefined;
  if (!config) {
    return undefined;
  }
  const marker = MARKER.exec(config);
  // 0.1.0 never wrote secure-routes.ts: a later folder that lost its record file is not taken for one.
  const legacy = marker || tree.exists(`${authPath}/secure-routes.ts`) ? null : LEGACY_COMMENT.exec(config);
  if (!marker && !legacy) {
    return undefined;
  }
  const specs = specsIn(tree, authPath);
  const values = configValues(config);
  const shape: ShapeOptions = marker
    ? { flow: marker[1] as Flow, renewal: marker[2] as Renewal, storage: marker[3] as Storage, dpop: !!marker[4] }
    : { flow: legacy![1] === 'implicit' ? 'implicit' : 'code', renewal: legacy![2] === 'hidden iframe' ? 'iframe' : 'refresh-token',
      storage: values.storage, dpop: false };
  return {
    version: marker ? '0.2.0' : '0.1.0',
    options: { ...values, ...shape, bff: false, provider: 'generic', audience: '', skipTests: !specs.any },
    context: { authPath, silentRenewPath: sourceRoot, vitestImports: !!marker && specs.vitest },
    source: marker ? 'marker' : 'comment',
  };
}

interface RecordJson {
  $comment: string;
  version: string;
  options: Omit<RenderOptions, 'provider' | 'audience'> & { provider?: ProviderPreset; audience?: string };
  specs: 'vitest' | 'plain';
  silentRenew?: string;
  /** --bff: where the server half was written. */
  server?: string;
}

/** The text of the record file for a folder generated by `version` with `options` into `context`. */
export function recordText(version: string, options: RenderOptions, context: RenderContext): string {
  const json: RecordJson = {
    $comment: 'Written by ngx-auth-renew: the release and options that generated this folder. ' +
      '`ng update ngx-auth-renew` rebuilds that release\'s files from it to merge a new release into your edits. Keep it.',
    version,
    options: {
      authority: options.authority, clientId: options.clientId, flow: options.flow, renewal: options.renewal,
      renewBefore: options.renewBefore, scope: options.scope, storage: options.storage, dpop: options.dpop, bff: !!options.bff,
      skipTests: options.skipTests,
      provider: options.provider, audience: options.audience,
    },
    specs: context.vitestImports ? 'vitest' : 'plain',
    ...(options.renewal === 'iframe' ? { silentRenew: context.silentRenewPath } : {}),
    ...(options.bff && context.serverPath ? { server: context.serverPath } : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** `--flow code --renewal iframe --storage session` (and `--dpop`), as typed. */
export function describeShape(options: ShapeOptions): string {
  if (options.bff) {
    return '--bff';
  }
  return `--flow ${options.flow} --renewal ${options.renewal} --storage ${options.storage}${options.dpop ? ' --dpop' : ''}`;
}

export function sameShape(a: ShapeOptions, b: ShapeOptions): boolean {
  return a.flow === b.flow && a.renewal === b.renewal && a.storage === b.storage && a.dpop === b.dpop && !!a.bff === !!b.bff;
}
