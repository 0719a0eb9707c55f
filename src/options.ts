import { SchematicsException } from '@angular-devkit/schematics';
import { Schema } from '../schematics/auth-renew/schema';

export type Flow = 'code' | 'implicit';
export type Renewal = 'refresh-token' | 'iframe';
export type Storage = 'session' | 'local' | 'memory';

/** Options after defaults and validation: everything the templates and rules need. */
export interface ResolvedOptions {
  authority: string;
  clientId: string;
  flow: Flow;
  renewal: Renewal;
  renewBefore: number;
  scope: string;
  storage: Storage;
  skipTests: boolean;
  skipInstall: boolean;
}

const FLOWS: readonly Flow[] = ['code', 'implicit'];
const RENEWALS: readonly Renewal[] = ['refresh-token', 'iframe'];
const STORAGES: readonly Storage[] = ['session', 'local', 'memory'];
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function fail(message: string): never {
  throw new SchematicsException(message);
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  const chosen = value ?? allowed[0];
  if (!allowed.includes(chosen as T)) {
    fail(`--${flag} must be one of ${allowed.join(', ')}; got "${chosen}".`);
  }
  return chosen as T;
}

function required(flag: string, value: string | undefined, example: string): string {
  const trimmed = value?.trim();
  if (!trimmed) {
    fail(`--${flag} is required, e.g. --${flag} ${example}`);
  }
  return trimmed;
}

/** The issuer URL: https, or http for a provider on this machine only. Trailing slash removed. */
function resolveAuthority(value: string | undefined): string {
  const raw = required('authority', value, 'https://id.example.com');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`--authority "${raw}" is not a URL; give the issuer URL, e.g. https://id.example.com`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    fail(`--authority must use https (http only for localhost); got "${raw}".`);
  }
  if (url.search || url.hash) {
    fail(`--authority must not have a query or fragment; got "${raw}".`);
  }
  return raw.replace(/\/+$/, '');
}

function resolveRenewBefore(value: number | string | undefined): number {
  const seconds = value === undefined || value === '' ? 30 : Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) {
    fail(`--renew-before must be a whole number of seconds, 0 or more; got "${value}".`);
  }
  return seconds;
}

/** Checks every option and fills in defaults. Throws one clear message on the first bad option. */
export function resolveOptions(options: Schema): ResolvedOptions {
  const authority = resolveAuthority(options.authority);
  const clientId = required('client-id', options.clientId, 'my-spa');
  const flow = oneOf('flow', options.flow, FLOWS);
  const renewal = oneOf('renewal', options.renewal, RENEWALS);
  if (flow === 'implicit' && renewal === 'refresh-token') {
    fail('--flow implicit has no refresh tokens: use --renewal iframe, or --flow code for refresh-token renewal.');
  }
  const renewBefore = resolveRenewBefore(options.renewBefore);
  const storage = oneOf('storage', options.storage, STORAGES);
  const defaultScope = renewal === 'refresh-token' ? 'openid profile email offline_access' : 'openid profile email';
  const scope = options.scope?.trim() || defaultScope;
  if (!scope.split(/\s+/).includes('openid')) {
    fail(`--scope must include "openid"; got "${scope}".`);
  }
  for (const [flag, value] of [['authority', authority], ['client-id', clientId], ['scope', scope]] as const) {
    if (/['"`\\\n]/.test(value)) {
      fail(`--${flag} must not contain quotes, backslashes or line breaks; got ${JSON.stringify(value)}.`);
    }
  }
  return {
    authority,
    clientId,
    flow,
    renewal,
    renewBefore,
    scope,
    storage,
    skipTests: !!options.skipTests,
    skipInstall: !!options.skipInstall,
  };
}
