// The bundle-size contenders: how each gets into a fresh `ng new` workspace. Their root components
// (same page, same usage) are in bench/contenders/<files>/.
import { join } from 'node:path';

export const PROVIDER_PORT = Number(process.env.BENCH_PROVIDER_PORT ?? 9200);
export const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 4400);
export const ISSUER = `http://localhost:${PROVIDER_PORT}`;
export const APP = `http://localhost:${APP_PORT}`;

export interface Contender {
  id: string;
  label: string;
  /** Directory under bench/contenders with the app.ts (+ app.config.ts, helpers). */
  files: string;
  /** npm packages installed into the workspace (newest that resolves against Angular 22). */
  install?: string[];
  /**
   * Tried when `install` cannot be resolved by the registry (npm ETARGET): the same packages with a
   * transitive dependency pinned, and the reason, for the report.
   */
  installFallback?: { packages: string[]; note: string };
  /** Main package whose version is reported. */
  pkg?: string;
  /** `ng add <tarball>` flags (ngx-auth-renew). */
  ngAdd?: string[];
  /** Renewal benchmark mode, for ngx-auth-renew builds. */
  renewal?: 'refresh' | 'iframe-code' | 'iframe-implicit';
}

const nar = (flow: string, renewal: string, clientId: string): string[] =>
  ['--authority', ISSUER, '--client-id', clientId, '--flow', flow, '--renewal', renewal];

export const CONTENDERS: Contender[] = [
  { id: 'bare', label: 'bare app (baseline)', files: 'bare' },
  {
    id: 'ngx-auth-renew',
    label: 'ngx-auth-renew (code + refresh-token, default)',
    files: 'ngx-auth-renew',
    pkg: 'oauth4webapi',
    ngAdd: nar('code', 'refresh-token', 'spa-code'),
    renewal: 'refresh',
  },
  {
    // Same setup with DPoP-bound tokens: its code must all be in lazy chunks (initial = default's).
    id: 'ngx-auth-renew-dpop',
    label: 'ngx-auth-renew (code + refresh-token, --dpop)',
    files: 'ngx-auth-renew',
    pkg: 'oauth4webapi',
    ngAdd: [...nar('code', 'refresh-token', 'spa-dpop'), '--dpop'],
  },
  {
    id: 'ngx-auth-renew-code-iframe',
    label: 'ngx-auth-renew (code + iframe)',
    files: 'ngx-auth-renew',
    pkg: 'oauth4webapi',
    ngAdd: nar('code', 'iframe', 'spa-code'),
    renewal: 'iframe-code',
  },
  {
    id: 'ngx-auth-renew-implicit-iframe',
    label: 'ngx-auth-renew (implicit + iframe)',
    files: 'ngx-auth-renew',
    pkg: 'oauth4webapi',
    ngAdd: nar('implicit', 'iframe', 'spa-implicit'),
    renewal: 'iframe-implicit',
  },
  {
    id: 'angular-auth-oidc-client',
    label: 'angular-auth-oidc-client',
    files: 'angular-auth-oidc-client',
    install: ['angular-auth-oidc-client'],
    pkg: 'angular-auth-oidc-client',
  },
  {
    id: 'angular-oauth2-oidc',
    label: 'angular-oauth2-oidc',
    files: 'angular-oauth2-oidc',
    install: ['angular-oauth2-oidc'],
    pkg: 'angular-oauth2-oidc',
  },
  {
    id: 'oidc-client-ts',
    label: 'oidc-client-ts',
    files: 'oidc-client-ts',
    install: ['oidc-client-ts'],
    pkg: 'oidc-client-ts',
  },
  {
    id: 'auth0-angular',
    label: '@auth0/auth0-angular',
    files: 'auth0-angular',
    install: ['@auth0/auth0-angular'],
    installFallback: {
      packages: ['@auth0/auth0-angular', '@auth0/auth0-spa-js@2.27.0'],
      note: '@auth0/auth0-spa-js pinned to 2.27.0: its newest (2.28.3) needs @auth0/auth0-auth-js@^1.16.1, which the registry does not have',
    },
    pkg: '@auth0/auth0-angular',
  },
];

export function contenderDir(id: string): string {
  return join('contenders', id);
}
