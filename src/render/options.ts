import { SchematicsException } from '@angular-devkit/schematics';
import { Schema, schemaDefaults } from './schema';
import { checkPreset, presetOfAuthority, presetScope, ProviderPreset } from './presets';

export type Flow = NonNullable<Schema['flow']>;
export type Renewal = NonNullable<Schema['renewal']>;
export type Storage = NonNullable<Schema['storage']>;

/** Options after defaults and validation: everything the templates and rules need. */
export interface ResolvedOptions {
  authority: string;
  clientId: string;
  flow: Flow;
  renewal: Renewal;
  renewBefore: number;
  scope: string;
  storage: Storage;
  /** Sender-constrained tokens (RFC 9449). */
  dpop: boolean;
  /** Backend for frontend: tokens stay on the app's server (@angular/ssr). */
  bff: boolean;
  /** The provider preset: as given, else the one the authority's host names, else generic. */
  provider: ProviderPreset;
  /** Set when --provider was not given and the authority named the preset (one line says so). */
  providerFromAuthority?: boolean;
  /** The `audience` authorization parameter (--audience); '' when not given. */
  audience: string;
  /** As given; undefined when not given: specs unless the project has no test runner (writesSpecs in test-runner.ts). */
  skipTests: boolean | undefined;
  skipInstall: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function fail(message: string): never {
  throw new SchematicsException(message);
}

/** The value with surrounding white space removed; fails when nothing is left. */
function required(flag: string, value: string | undefined, example: string): string {
  const trimmed = value?.trim();
  if (!trimmed) {
    fail(`--${flag} is required, e.g. --${flag} ${example}`);
  }
  return trimmed;
}

/**
 * The issuer URL, kept exactly as given (an issuer identifier may end in a slash, and discovery
 * compares it to the provider's `issuer`). The schema's `pattern` refuses the same values at the
 * prompt and on the command line; this check is for callers that bypass schema validation.
 */
function resolveAuthority(value: string | undefined): string {
  required('authority', value, 'https://id.example.com');
  const raw = value as string;
  let url: URL | undefined;
  try {
    url = /\s/.test(raw) ? undefined : new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url) {
    fail(`--authority "${raw}" is not a URL; give the issuer URL, e.g. https://id.example.com`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    fail(`--authority must use https (http only for localhost); got "${raw}".`);
  }
  if (raw.includes('?') || raw.includes('#')) {
    fail(`--authority must not have a query or fragment; got "${raw}".`);
  }
  return raw;
}

/**
 * --bff keeps tokens on the server: the browser-side choices of flow, renewal and storage do not
 * apply (the server uses the code flow with refresh tokens and keeps its own session store).
 * --dpop does: the server binds the tokens to a key of each session.
 */
function refuseWithBff(flow: Flow, renewal: Renewal, storage: Storage | undefined): void {
  const other = flow !== 'code' ? `--flow ${flow}` : renewal !== 'refresh-token' ? `--renewal ${renewal}`
    : storage && storage !== 'session' ? `--storage ${storage}` : undefined;
  if (other) {
    fail(`--bff keeps the tokens on the server (code flow, refresh tokens, a server-side session store): ` +
      `drop ${other}, or drop --bff to keep tokens in the browser.`);
  }
}

/**
 * Fills in defaults and makes the checks schema.json cannot express (it already enforces the
 * types, the enums, the authority's pattern and renewBefore >= 0). Throws one clear message on the
 * first bad option.
 *
 * renewBefore is a `number` in schema.json, not an `integer`: the Angular CLI's argument parser
 * knows only boolean, number and string options and drops an integer one ("Unknown argument").
 * The whole-number check is made here.
 */
export function resolveOptions(options: Schema): ResolvedOptions {
  const authority = resolveAuthority(options.authority);
  const clientId = required('client-id', options.clientId, 'my-spa');
  const flow = options.flow ?? schemaDefaults.flow;
  const renewal = options.renewal ?? schemaDefaults.renewal;
  const bff = options.bff ?? schemaDefaults.bff;
  if (bff) {
    refuseWithBff(flow, renewal, options.storage);
  }
  if (flow === 'implicit' && renewal === 'refresh-token') {
    fail('--flow implicit has no refresh tokens: use --renewal iframe, or --flow code for refresh-token renewal.');
  }
  const renewBefore = options.renewBefore ?? schemaDefaults.renewBefore;
  if (!Number.isInteger(renewBefore) || renewBefore < 0) {
    fail(`--renew-before must be a whole number of seconds, 0 or more; got ${renewBefore}.`);
  }
  const dpop = options.dpop ?? schemaDefaults.dpop;
  if (dpop && (flow !== 'code' || renewal !== 'refresh-token')) {
    fail('--dpop binds tokens at the token endpoint, which implicit and iframe renewal do not use: ' +
      'use it with --flow code --renewal refresh-token.');
  }
  const detected = options.provider ? undefined : presetOfAuthority(authority);
  const provider = options.provider ?? detected ?? 'generic';
  checkPreset(provider, { authority, flow, renewal });
  const scope = options.scope?.trim() || presetScope(provider, renewal);
  const audience = options.audience?.trim() ?? '';
  if (!scope.split(/\s+/).includes('openid')) {
    fail(`--scope must include "openid"; got "${scope}".`);
  }
  for (const [flag, value] of [['authority', authority], ['client-id', clientId], ['scope', scope], ['audience', audience]] as const) {
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
    storage: options.storage ?? schemaDefaults.storage,
    dpop,
    bff,
    provider,
    ...(detected ? { providerFromAuthority: true } : {}),
    audience,
    skipTests: options.skipTests,
    skipInstall: options.skipInstall ?? schemaDefaults.skipInstall,
  };
}
