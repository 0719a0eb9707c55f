import { Tree } from '@angular-devkit/schematics';
import { Flow, Renewal, ResolvedOptions, Storage } from './options';

/** The options that decide which files are generated and what they hold (besides config values). */
export type ShapeOptions = Pick<ResolvedOptions, 'flow' | 'renewal' | 'storage' | 'dpop'>;

/**
 * The first line of the generated auth.config.ts, e.g. `// ngx-auth-renew: flow=code renewal=iframe storage=session`,
 * with ` dpop` at the end for --dpop (so the line of a run without it is the same as before --dpop existed).
 */
const MARKER = /^\/\/ ngx-auth-renew: flow=(code|implicit) renewal=(refresh-token|iframe) storage=(session|local|memory)( dpop)?\s*$/m;
/** auth.config.ts of versions before the marker: the flow comment and the storage value. */
const LEGACY_COMMENT = /^\/\/ Flow: (authorization code|implicit)[^;]*; renewal: (refresh token|hidden iframe)/m;
const LEGACY_STORAGE = /\bstorage:\s*['"](session|local|memory)['"]/;

/**
 * The flow, renewal, storage and DPoP an earlier run wrote into `authPath`, read from its auth.config.ts;
 * undefined when there is none (first run) or it names none (a file of the user's own).
 */
export function readPreviousOptions(tree: Tree, authPath: string): ShapeOptions | undefined {
  const path = `${authPath}/auth.config.ts`;
  const text = tree.exists(path) ? tree.readText(path) : undefined;
  if (!text) {
    return undefined;
  }
  const marker = MARKER.exec(text);
  if (marker) {
    return { flow: marker[1] as Flow, renewal: marker[2] as Renewal, storage: marker[3] as Storage, dpop: !!marker[4] };
  }
  const legacy = LEGACY_COMMENT.exec(text);
  const storage = LEGACY_STORAGE.exec(text);
  if (!legacy || !storage) {
    return undefined;
  }
  return {
    flow: legacy[1] === 'implicit' ? 'implicit' : 'code',
    renewal: legacy[2] === 'hidden iframe' ? 'iframe' : 'refresh-token',
    storage: storage[1] as Storage,
    dpop: false,
  };
}

/** `--flow code --renewal iframe --storage session` (and `--dpop`), as typed. */
export function describeShape(options: ShapeOptions): string {
  return `--flow ${options.flow} --renewal ${options.renewal} --storage ${options.storage}${options.dpop ? ' --dpop' : ''}`;
}

export function sameShape(a: ShapeOptions, b: ShapeOptions): boolean {
  return a.flow === b.flow && a.renewal === b.renewal && a.storage === b.storage && a.dpop === b.dpop;
}
