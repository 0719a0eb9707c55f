// A real OpenID Provider (panva/oidc-provider) for the e2e scenarios and `npm run demo`.
//
//   node e2e/provider/provider.ts --port 9000 --app http://localhost:4200 [--app http://localhost:4300]
//        [--issuer https://idp.test:9443 --https] [--same-site none] [--access-token-ttl 20]
//
// In process:  const p = await startProvider({ port, apps: [origin], ... }); p.log; p.clearLog(); await p.close();
//
// What it does that a stock provider does not:
//  - public clients `spa-code` (authorization_code + refresh_token, PKCE S256) and `spa-implicit`
//    (`id_token token`), registered for every app origin (`/` and `/silent-renew.html`);
//  - logs every request it serves into `log` (method, path, grant_type, prompt, response_type, scope,
//    status, error, issued tokens) and serves it at GET /__log (DELETE /__log clears it);
//  - signs a fixed test user in and grants every requested scope without a human
//    (`/interaction/:uid`), and auto-confirms the RP-initiated logout form;
//  - issues refresh tokens to clients allowed the refresh_token grant (no `prompt=consent` dance),
//    rotates them on every use, and a rotated token keeps the remaining lifetime of its predecessor;
//  - request faults (addFault, GET /__fault?path=/token&grant=refresh_token&kind=status&status=503):
//    a hung request, an error status, a delay, for the next N matching requests or until cleared;
//  - registers the redirect URIs of apps served at `/` and under `/portal/`;
//  - DPoP (RFC 9449): client `spa-dpop` must send proofs (dpop_bound_access_tokens); the log has each
//    proof's key thumbprint and the thumbprint (cnf.jkt) of the tokens issued; `dpopNonce` makes
//    every DPoP request (token endpoint and /me) carry a server nonce;
//  - provider quirks (ProviderQuirks, `quirks`), one switch each, for the preset scenarios
//    (e2e/scenarios/presets.ts): an access token that is a JWT only for an `audience`, no revocation
//    endpoint, no end_session_endpoint (with or without a Cognito-style /logout), token responses that
//    say when the refresh token ends, a token endpoint that wants an Origin header.
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import type { JWK } from 'jose';
import type { KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';
import type { ClientMetadata, InteractionResults, KoaContextWithOIDC } from 'oidc-provider';
import { selfSignedCert } from '../lib/tls.ts';

export const TEST_USER = {
  sub: 'test-user',
  name: 'Test User',
  given_name: 'Test',
  family_name: 'User',
  email: 'test.user@example.com',
  email_verified: true,
};

export type SameSite = 'lax' | 'none' | 'strict';

export interface ProviderOptions {
  port: number;
  /** app origins (redirect URIs, CORS) */
  apps?: string[];
  /** default http://localhost:<port> */
  issuer?: string;
  /** serve https with a self-signed cert (for idp.test) */
  https?: boolean;
  /** provider cookies; 'none' implies Secure */
  sameSite?: SameSite;
  /** seconds, default 20 */
  accessTokenTtl?: number;
  /** seconds, default 3600 */
  refreshTokenTtl?: number;
  /** seconds, default 3600 */
  idTokenTtl?: number;
  quiet?: boolean;
  /** listen address (default: all) */
  bind?: string;
  /** DPoP server nonces: every DPoP proof (token endpoint, /me) must carry one (use_dpop_nonce). */
  dpopNonce?: boolean;
  /**
   * The confidential client `bff` (BFF_CLIENT) of an app with --bff at `origin`: redirect URI
   * `<origin>/bff/callback`, post-logout `<origin>/`, back-channel logout to `backchannelLogoutUri`.
   */
  bff?: { origin: string; backchannelLogoutUri: string };
  /** What real providers do differently (see ProviderQuirks). */
  quirks?: ProviderQuirks;
}

/** One switch per quirk of a real provider. */
export interface ProviderQuirks {
  /**
   * Auth0: the access token is a JWT for the API (aud = the `audience` of the authorization request)
   * only when the request names one; without, an opaque token (good for userinfo only).
   */
  audience?: boolean;
  /** Entra ID, Google (and Cognito's discovery): no revocation_endpoint. */
  noRevocation?: boolean;
  /**
   * No end_session_endpoint in discovery. 'cognito': GET /logout?client_id&logout_uri ends the
   * session and redirects to logout_uri (one of the client's post-logout URIs); 'none': no logout at all (Google).
   */
  logout?: 'cognito' | 'none';
  /** Entra ID (SPA), Okta: the token endpoint refuses a request without an Origin header. */
  originRequired?: boolean;
  /**
   * Token responses say when the refresh token ends (its fixed absolute lifetime, refreshTokenTtl,
   * kept by rotation): Entra ID's `refresh_token_expires_in`, Keycloak's `refresh_expires_in`.
   */
  refreshTokenEnd?: 'refresh_token_expires_in' | 'refresh_expires_in';
}

/** The confidential client of the --bff e2e scenario (its secret is a test value, passed by environment). */
export const BFF_CLIENT = { id: 'bff', secret: 'e2e-bff-client-secret-not-for-production' };
/** The same confidential client with DPoP required (dpop_bound_access_tokens): the --bff --dpop scenario's. */
export const BFF_DPOP_CLIENT = { id: 'bff-dpop', secret: BFF_CLIENT.secret };

/** Ways the next id_token can be tampered with (see tamper()); 'other-sub' names another user. */
export type Fault = 'bad-signature' | 'bad-nonce' | 'bad-iss' | 'bad-aud' | 'other-sub';

/**
 * A fault for requests to one endpoint: 'hang' never answers (until the client gives up),
 * 'status' answers `status` with an OAuth error body, 'delay' answers normally after `ms`.
 */
export interface RequestFault {
  /** exact path, e.g. '/token', '/token/revocation', '/me' */
  path: string;
  /** only token requests of this grant_type */
  grant?: string;
  kind: 'hang' | 'status' | 'delay';
  /** kind 'status': the HTTP status (default 503) and OAuth error code (default temporarily_unavailable) */
  status?: number;
  error?: string;
  /** kind 'delay': ms */
  ms?: number;
  /** how many matching requests (default: until cleared) */
  times?: number;
}

/** Base paths of the apps the clients are registered for (redirect, silent renew, post-logout). */
export const APP_BASES = ['/', '/portal/'];

/** Lifetimes in seconds, changeable at run time (GET /__config). */
export interface ProviderConfig {
  accessTokenTtl: number;
  refreshTokenTtl: number;
  idTokenTtl: number;
}

/** Tokens handed out by one response (token endpoint JSON, or an implicit redirect's fragment). */
export interface Issued {
  access_token: string;
  refresh_token?: string;
  id_token: boolean;
  expires_in?: number;
  scope?: string;
  token_type?: string;
  /** The access token is a JWT: its `aud` (else an opaque token). */
  jwt_aud?: string | string[];
  /** What the response said about the refresh token's end (quirks.refreshTokenEnd), in seconds. */
  refresh_end?: number;
  /** The DPoP key thumbprint the access token / refresh token is bound to (cnf.jkt), if any. */
  jkt?: string;
  refresh_jkt?: string;
}

/** A DPoP proof as sent (header `DPoP`), decoded without verification; jkt: its key's RFC 7638 thumbprint. */
export interface ProofSeen {
  jkt: string;
  jti: string;
  htm: string;
  htu: string;
  iat: number;
  nonce: boolean;
  ath: boolean;
  /** The header as sent (for replay checks). */
  jwt: string;
}

/** Request parameters copied into the log from the query, or from the route's parsed parameters. */
const QUERY_PARAMS = ['prompt', 'response_type', 'client_id', 'scope', 'grant_type', 'redirect_uri', 'code_challenge_method', 'response_mode', 'post_logout_redirect_uri', 'dpop_jkt', 'audience', 'logout_uri'] as const;
const PARSED_PARAMS = ['prompt', 'response_type', 'client_id', 'scope', 'grant_type', 'token_type_hint'] as const;
type LoggedParam = (typeof QUERY_PARAMS)[number] | (typeof PARSED_PARAMS)[number];

/**
 * One line of the request log: a request the provider served (method, path, ...), or one of its
 * events (event: 'end_session.success' | 'grant.revoked' | 'refresh_token.destroyed').
 */
export interface LogEntry extends Partial<Record<LoggedParam, string>> {
  t: number;
  event?: string;
  grantId?: string;
  method?: string;
  path?: string;
  origin?: string;
  has_state?: boolean;
  has_nonce?: boolean;
  /** The prompt answered by the automatic interaction. */
  interaction?: string;
  status?: number;
  ms?: number;
  refresh_token_sent?: string;
  revoked?: string;
  account?: string;
  fault?: string;
  /** A hung request: the client closed the connection (after `ms`). */
  aborted?: boolean;
  /** The bearer token of an `Authorization: Bearer` header ('' when there was none). */
  bearer?: string;
  /** The token of an `Authorization: DPoP` header (at /me). */
  dpop_token?: string;
  /** The request's DPoP proof. */
  dpop?: ProofSeen;
  /** Response headers: `WWW-Authenticate`, and whether a `DPoP-Nonce` was sent. */
  www_authenticate?: string;
  dpop_nonce_sent?: boolean;
  error?: string;
  error_description?: string;
  /** The provider's reason for a token or userinfo error, which its response does not tell. */
  error_detail?: string;
  issued?: Issued;
  location?: string;
  /** An authorization code in the redirect. */
  code?: boolean;
}

type RequestEntry = LogEntry & { method: string; path: string };

/** A JSON body of the provider (token response or error), as far as the log reads it. */
interface ResponseBody {
  error?: string;
  error_description?: string;
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
  scope?: string;
  token_type?: string;
  [field: string]: unknown;
}

export interface RunningProvider {
  issuer: string;
  port: number;
  log: LogEntry[];
  config: ProviderConfig;
  provider: Provider;
  clearLog(): void;
  setFault(f: Fault | null): void;
  readonly fault: string | null;
  /** Arms a request fault (see RequestFault); returns it (its `times` counts down). */
  addFault(f: RequestFault): RequestFault;
  /** Removes the given fault, or all request faults. */
  clearFaults(f?: RequestFault): void;
  since(t: number): LogEntry[];
  close(): Promise<void>;
  t0: number;
}

export async function startProvider(o: ProviderOptions): Promise<RunningProvider> {
  const port = Number(o.port);
  const https = Boolean(o.https);
  const issuer = (o.issuer ?? `${https ? 'https' : 'http'}://localhost:${port}`).replace(/\/$/, '');
  const apps = (o.apps ?? []).map((a) => new URL(a).origin);
  const sameSite: SameSite = o.sameSite ?? (https ? 'none' : 'lax');
  const cfg: ProviderConfig = {
    accessTokenTtl: Number(o.accessTokenTtl ?? 20),
    refreshTokenTtl: Number(o.refreshTokenTtl ?? 3600),
    idTokenTtl: Number(o.idTokenTtl ?? 3600),
  };
  const log: LogEntry[] = [];
  const t0 = Date.now();
  const quirks: ProviderQuirks = o.quirks ?? {};
  // Fault injection for the verification checks of the client: the next response that carries an
  // id_token gets it tampered with. 'bad-signature' | 'bad-nonce' | 'bad-iss' | 'bad-aud'.
  let fault: string | null = null;

  const cookieOpts = { httpOnly: true, sameSite, ...(sameSite === 'none' || https ? { secure: true } : {}) };
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const signingKey = privateKey.export({ format: 'jwk' });

  const redirectUris = apps.flatMap((a) => APP_BASES.flatMap((b) => [`${a}${b}`, `${a}${b}silent-renew.html`]));
  const postLogout = apps.flatMap((a) => APP_BASES.map((b) => `${a}${b}`));
  const requestFaults: RequestFault[] = [];
  /** The log entry of each request, for the provider's error events. */
  const entryOf = new WeakMap<object, LogEntry>();

  const codeClient: ClientMetadata = {
    client_id: 'spa-code',
    client_name: 'ngx-auth-renew e2e (code)',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogout,
  };
  const bff = o.bff;
  const provider = new Provider(issuer, {
    clients: [
      codeClient,
      // The code client again, with DPoP required (RFC 9449 client metadata).
      { ...codeClient, client_id: 'spa-dpop', client_name: 'ngx-auth-renew e2e (code, DPoP)', dpop_bound_access_tokens: true },
      {
        client_id: 'spa-implicit',
        client_name: 'ngx-auth-renew e2e (implicit)',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['implicit'],
        response_types: ['id_token token'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogout,
      },
      ...(bff ? [BFF_CLIENT, BFF_DPOP_CLIENT].map(({ id, secret }) => ({
        client_id: id,
        client_secret: secret,
        client_name: `ngx-auth-renew e2e (backend for frontend, confidential${id === BFF_DPOP_CLIENT.id ? ', DPoP' : ''})`,
        application_type: 'web' as const,
        token_endpoint_auth_method: 'client_secret_post' as const,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${bff.origin}/bff/callback`],
        post_logout_redirect_uris: [`${bff.origin}/`],
        backchannel_logout_uri: bff.backchannelLogoutUri,
        backchannel_logout_session_required: true,
        ...(id === BFF_DPOP_CLIENT.id ? { dpop_bound_access_tokens: true } : {}),
      })) : []),
    ],
    responseTypes: ['code', 'id_token token', 'id_token', 'code id_token', 'none'],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    jwks: { keys: [{ ...signingKey, kid: 'e2e-rs256', alg: 'RS256', use: 'sig' }] },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      long: cookieOpts,
      short: cookieOpts,
    },
    pkce: { required: () => true },
    // Profile claims in the id_token too, so the page can say who is signed in without userinfo.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: !quirks.noRevocation },
      backchannelLogout: { enabled: true },
      // quirks.audience: the Auth0 `audience` is taken as a resource indicator (RFC 8707) for a JWT access token.
      resourceIndicators: quirks.audience
        ? {
            enabled: true,
            defaultResource: () => undefined as unknown as string,
            useGrantedResource: () => true,
            getResourceServerInfo: (_ctx, resourceIndicator) => ({
              scope: 'openid profile email offline_access',
              audience: resourceIndicator,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            }),
          }
        : { enabled: true },
      dPoP: o.dpopNonce
        ? { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true }
        : { enabled: true },
      rpInitiatedLogout: {
        enabled: !quirks.logout,
        // Confirms the logout form at once (no human in these tests).
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing out</title></head>
<body><p>Signing out&hellip;</p>${form}
<script>var f=document.getElementById('op.logoutForm');var i=document.createElement('input');
i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script></body></html>`;
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signed out</title></head><body><p>Signed out.</p></body></html>';
        },
      },
    },
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { ...TEST_USER, sub };
        },
      };
    },
    // Back-channel logout goes to an app on this machine: the provider's outgoing requests refuse
    // loopback addresses (SSRF protection through their dispatcher), which these tests need.
    fetch(url, options) {
      const { dispatcher: _, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
    clientBasedCORS(ctx, origin) {
      return apps.includes(origin);
    },
    // A refresh token for every client that may use the grant, whether or not the first login sent
    // prompt=consent (oidc-provider otherwise drops offline_access from such a request).
    async issueRefreshToken(ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: () => cfg.accessTokenTtl,
      IdToken: () => cfg.idTokenTtl,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
      // A rotated token keeps the remaining lifetime of the one it replaces: rotation never
      // extends a session indefinitely.
      RefreshToken(ctx, token) {
        const rotated = ctx?.oidc?.entities?.RotatedRefreshToken;
        if (rotated) return Math.max(1, rotated.remainingTTL);
        return cfg.refreshTokenTtl;
      },
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>error</title></head><body><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre></body></html>`;
    },
  });

  // Implicit clients on http / localhost are refused by the client schema: these tests need them.
  const Schema = provider.Client.Schema;
  const invalidate = Schema.prototype.invalidate;
  Schema.prototype.invalidate = function (this: unknown, message: string, code?: string) {
    if (code === 'implicit-force-https' || code === 'implicit-forbid-localhost') return;
    return invalidate.call(this, message, code);
  };

  // Request log, __log endpoint, automatic interactions.
  provider.use(async (ctx, next) => {
    const url = new URL(ctx.originalUrl, issuer);
    if (url.pathname === '/__log') {
      ctx.set('access-control-allow-origin', '*');
      ctx.set('cache-control', 'no-store');
      if (ctx.method === 'DELETE') {
        log.length = 0;
        ctx.status = 204;
      } else {
        ctx.type = 'json';
        ctx.body = JSON.stringify(log);
      }
      return;
    }
    if (url.pathname === '/__fault') {
      // GET /__fault?next=bad-nonce — tamper with the next id_token (see tamper()).
      // GET /__fault?path=/token&kind=hang[&grant=refresh_token][&times=1] — a request fault;
      // GET /__fault?clear=1 — removes the request faults.
      const q = url.searchParams;
      if (q.has('next')) fault = q.get('next') || null;
      if (q.has('clear')) requestFaults.length = 0;
      if (q.has('path')) requestFaults.push(faultOf(q));
      ctx.type = 'json';
      ctx.body = JSON.stringify({ fault, requestFaults });
      return;
    }
    if (url.pathname === '/__config') {
      // GET /__config?accessTokenTtl=5 — change lifetimes at run time (demo / experiments).
      for (const k of Object.keys(cfg) as (keyof ProviderConfig)[]) if (url.searchParams.has(k)) cfg[k] = Number(url.searchParams.get(k));
      ctx.type = 'json';
      ctx.body = JSON.stringify(cfg);
      return;
    }

    const entry: RequestEntry = {
      t: Date.now(),
      method: ctx.method,
      path: url.pathname,
      origin: ctx.get('origin') || undefined,
    };
    for (const p of QUERY_PARAMS) {
      const v = url.searchParams.get(p);
      if (v !== null) entry[p] = v;
    }
    if (url.pathname === '/auth' || url.pathname === '/session/end') {
      entry.has_state = url.searchParams.has('state');
      entry.has_nonce = url.searchParams.has('nonce');
    }
    const authorization = ctx.get('authorization');
    if (url.pathname === '/me' && ctx.method !== 'OPTIONS') {
      entry.bearer = /^Bearer (.+)$/i.exec(authorization)?.[1] ?? '';
      const dpopToken = /^DPoP (.+)$/i.exec(authorization)?.[1];
      if (dpopToken) entry.dpop_token = dpopToken;
    }
    const proof = ctx.get('dpop');
    if (proof) entry.dpop = await proofSeen(proof);
    // While a request fault is armed for this path, the form body is read here (and handed to the
    // provider as parsed), so that the fault can match its grant_type before the provider spends a
    // refresh token. Otherwise the provider reads its requests untouched.
    let form: URLSearchParams | undefined;
    if (ctx.method === 'POST' && /^application\/x-www-form-urlencoded/.test(ctx.get('content-type'))
      && requestFaults.some((f) => f.path === url.pathname)) {
      const raw = await readRequestBody(ctx.req);
      (ctx.req as typeof ctx.req & { body?: string }).body = raw;
      form = new URLSearchParams(raw);
      const grant = form.get('grant_type');
      if (grant) entry.grant_type = grant;
    }
    log.push(entry);
    entryOf.set(ctx, entry);

    // quirks.audience: Auth0's `audience` parameter, as the resource indicator oidc-provider knows.
    if (quirks.audience && url.pathname === '/auth' && url.searchParams.has('audience')) {
      url.searchParams.set('resource', url.searchParams.get('audience')!);
      url.searchParams.delete('audience');
      ctx.querystring = url.searchParams.toString();
    }
    // quirks.logout 'cognito': the user pool domain's /logout page.
    if (quirks.logout === 'cognito' && url.pathname === '/logout' && ctx.method === 'GET') {
      await cognitoLogout(provider, ctx, url, entry, postLogout);
      entry.status = ctx.status;
      entry.ms = Date.now() - entry.t;
      return;
    }
    // quirks.originRequired: tokens of browser apps are redeemed cross-origin only.
    if (quirks.originRequired && url.pathname === '/token' && ctx.method === 'POST' && !ctx.get('origin')) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'e2e quirk: a browser app\'s tokens may only be redeemed by cross-origin requests (no Origin header)' };
      entry.status = 400;
      entry.error = 'invalid_request';
      entry.error_description = 'no Origin header';
      entry.ms = Date.now() - entry.t;
      return;
    }

    const rf = ctx.method === 'OPTIONS' ? undefined : requestFaults.find((f) => f.path === url.pathname && (!f.grant || f.grant === form?.get('grant_type')));
    if (rf) {
      if (rf.times !== undefined && --rf.times <= 0) requestFaults.splice(requestFaults.indexOf(rf), 1);
      entry.fault = rf.kind;
    }
    const m = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (rf?.kind === 'hang') {
      // Never answered: the entry is complete when the client gives up (or the server closes).
      await new Promise<void>((r) => { if (ctx.res.destroyed || ctx.res.writableEnded) r(); else ctx.res.once('close', () => r()); });
      entry.aborted = true;
      entry.ms = Date.now() - entry.t;
      ctx.respond = false;
      return;
    } else if (rf?.kind === 'status') {
      const origin = ctx.get('origin');
      if (apps.includes(origin)) {
        ctx.set('access-control-allow-origin', origin);
        ctx.set('vary', 'Origin');
      }
      ctx.status = rf.status ?? 503;
      ctx.set('cache-control', 'no-store');
      ctx.body = { error: rf.error ?? 'temporarily_unavailable', error_description: `e2e fault: ${ctx.status}` };
    } else {
      if (rf?.kind === 'delay') await new Promise((r) => setTimeout(r, rf.ms ?? 1000));
      if (m && ctx.method === 'GET') {
        await autoInteraction(provider, ctx, entry);
      } else {
        await next();
      }
    }

    entry.status = ctx.status;
    entry.ms = Date.now() - entry.t;
    const challenge = ctx.response.get('www-authenticate');
    if (challenge) entry.www_authenticate = challenge;
    if (ctx.response.get('dpop-nonce')) entry.dpop_nonce_sent = true;
    const params = ctx.oidc?.params ?? {};
    for (const p of PARSED_PARAMS) {
      const v = params[p];
      if (entry[p] === undefined && typeof v === 'string') entry[p] = v;
    }
    if (typeof params.refresh_token === 'string' && params.refresh_token) entry.refresh_token_sent = params.refresh_token;
    if (entry.path.endsWith('/token/revocation') && typeof params.token === 'string' && params.token) entry.revoked = params.token;
    if (ctx.oidc?.session?.accountId) entry.account = ctx.oidc.session.accountId;

    // quirks.refreshTokenEnd: the response says when its refresh token ends.
    const withRefresh = ctx.body as ResponseBody | undefined;
    if (quirks.refreshTokenEnd && url.pathname === '/token' && withRefresh && typeof withRefresh === 'object' && typeof withRefresh.refresh_token === 'string') {
      const rt = await provider.RefreshToken.find(withRefresh.refresh_token).catch(() => undefined);
      if (rt) ctx.body = { ...withRefresh, [quirks.refreshTokenEnd]: rt.remainingTTL };
    }

    // Tampering (armed through setFault or /__fault) of the next id_token handed out.
    const body0 = ctx.body;
    if (fault && body0 && typeof body0 === 'object' && 'id_token' in body0 && typeof body0.id_token === 'string') {
      ctx.body = { ...body0, id_token: tamper(body0.id_token, fault, privateKey) };
      entry.fault = fault;
      fault = null;
    }
    const loc0 = ctx.response.get('location');
    if (fault && loc0 && /[#&]id_token=/.test(loc0)) {
      const l = new URL(loc0);
      const frag = new URLSearchParams(l.hash.slice(1));
      frag.set('id_token', tamper(frag.get('id_token')!, fault, privateKey)); // tested just above
      l.hash = frag.toString();
      ctx.set('location', l.href);
      entry.fault = fault;
      fault = null;
    }

    // Outcome: JSON error body, or error / code / token in the redirect.
    const raw = ctx.body;
    if (raw && typeof raw === 'object' && !Buffer.isBuffer(raw) && typeof (raw as { pipe?: unknown }).pipe !== 'function') {
      const body = raw as ResponseBody;
      if (body.error) {
        entry.error = body.error;
        entry.error_description = body.error_description;
      }
      if (body.access_token) {
        entry.issued = {
          access_token: body.access_token,
          refresh_token: body.refresh_token,
          id_token: Boolean(body.id_token),
          expires_in: body.expires_in,
          scope: body.scope,
          token_type: body.token_type,
          ...(body.access_token.split('.').length === 3 ? { jwt_aud: decodeJwt(body.access_token).aud } : {}),
          ...(quirks.refreshTokenEnd && typeof body[quirks.refreshTokenEnd] === 'number' ? { refresh_end: body[quirks.refreshTokenEnd] as number } : {}),
          jkt: (await provider.AccessToken.find(body.access_token).catch(() => undefined))?.jkt,
          refresh_jkt: body.refresh_token
            ? (await provider.RefreshToken.find(body.refresh_token).catch(() => undefined))?.jkt
            : undefined,
        };
      }
    }
    const location = ctx.response.get('location');
    if (location) {
      entry.location = location.length > 300 ? `${location.slice(0, 300)}…` : location;
      try {
        const l = new URL(location, issuer);
        const res = new URLSearchParams(l.hash.slice(1));
        for (const [k, v] of l.searchParams) if (!res.has(k)) res.set(k, v);
        const error = res.get('error');
        if (error) {
          entry.error = error;
          entry.error_description = res.get('error_description') ?? undefined;
        }
        if (res.get('code') && url.pathname !== '/session/end/confirm') entry.code = true;
        const accessToken = res.get('access_token');
        if (accessToken) entry.issued = { access_token: accessToken, id_token: Boolean(res.get('id_token')), expires_in: Number(res.get('expires_in')) };
      } catch { /* relative or odd location */ }
    }
  });

  for (const event of ['grant.error', 'userinfo.error'] as const) {
    provider.on(event, (ctx, err) => {
      const entry = entryOf.get(ctx);
      if (entry && err.error_detail) entry.error_detail = err.error_detail;
    });
  }
  provider.on('end_session.success', () => log.push({ t: Date.now(), event: 'end_session.success' }));
  provider.on('backchannel.success', () => log.push({ t: Date.now(), event: 'backchannel.success' }));
  provider.on('backchannel.error', (_ctx, err) => log.push({ t: Date.now(), event: 'backchannel.error', error: String(err) }));
  provider.on('grant.revoked', (_ctx, grantId) => log.push({ t: Date.now(), event: 'grant.revoked', grantId }));
  provider.on('refresh_token.destroyed', () => log.push({ t: Date.now(), event: 'refresh_token.destroyed' }));
  if (o.quiet) {
    provider.on('server_error', (_ctx, err) => console.error('[provider] server_error', err));
  } else {
    provider.on('server_error', (_ctx, err) => console.error('[provider] server_error', err));
  }

  const handler = provider.callback();
  let server: Server;
  if (https) {
    const { key, cert } = await selfSignedCert([new URL(issuer).hostname, 'localhost', '127.0.0.1']);
    server = createHttpsServer({ key, cert }, handler);
  } else {
    server = createHttpServer(handler);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (o.bind) server.listen(port, o.bind, resolve); else server.listen(port, resolve);
  });

  return {
    issuer,
    port,
    log,
    config: cfg,
    provider,
    clearLog() { log.length = 0; },
    setFault(f: Fault | null) { fault = f; },
    get fault() { return fault; },
    addFault(f: RequestFault) { requestFaults.push(f); return f; },
    clearFaults(f?: RequestFault) {
      if (!f) requestFaults.length = 0;
      else if (requestFaults.includes(f)) requestFaults.splice(requestFaults.indexOf(f), 1);
    },
    since(t: number) { return log.filter((e) => e.t >= t); },
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
    t0,
  };
}

async function autoInteraction(provider: Provider, ctx: KoaContextWithOIDC, entry: LogEntry): Promise<void> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = details;
  entry.interaction = prompt.name;
  let result: InteractionResults;
  if (prompt.name === 'login') {
    result = { login: { accountId: TEST_USER.sub, amr: ['pwd'], acr: 'urn:e2e:auto' } };
  } else if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session?.accountId, clientId: params.client_id });
    if (!grant) throw new Error(`consent: grant ${details.grantId} not found`);
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    if (d.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    result = { consent: { grantId: await grant.save() } };
  } else {
    result = { error: 'access_denied', error_description: `unexpected prompt ${prompt.name}` };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

/**
 * Cognito's /logout: for a known client and one of the allowed sign-out URLs (the clients'
 * post-logout URIs, which oidc-provider drops from the clients without RP-initiated logout) as
 * logout_uri, ends the provider session (the session destroyed, its cookie cleared) and redirects there.
 */
async function cognitoLogout(provider: Provider, ctx: KoaContextWithOIDC, url: URL, entry: LogEntry, allowed: string[]): Promise<void> {
  const client = await provider.Client.find(url.searchParams.get('client_id') ?? '').catch(() => undefined);
  const logoutUri = url.searchParams.get('logout_uri') ?? '';
  if (!client || !allowed.includes(logoutUri)) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = '<!DOCTYPE html><title>error</title><p>invalid client_id or logout_uri</p>';
    entry.error = 'invalid_request';
    return;
  }
  const sessionId = ctx.cookies.get('_session', { signed: true });
  const session = sessionId ? await provider.Session.find(sessionId) : undefined;
  if (session) await session.destroy();
  for (const name of ['_session', '_session.legacy']) ctx.cookies.set(name, null, { signed: true });
  entry.event = session ? 'cognito_logout.session_ended' : 'cognito_logout.no_session';
  entry.location = logoutUri;
  ctx.status = 302;
  ctx.redirect(logoutUri);
}

/** An id_token made invalid in one way; all but 'bad-signature' are re-signed with the real key. */
export function tamper(jwt: string, how: string, privateKey: KeyObject): string {
  const [h, p, sig] = jwt.split('.');
  if (how === 'bad-signature') {
    const bytes = Buffer.from(sig, 'base64url');
    bytes[bytes.length >> 1] ^= 0x5a;
    return `${h}.${p}.${bytes.toString('base64url')}`;
  }
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (how === 'bad-nonce') payload.nonce = 'tampered-nonce';
  else if (how === 'bad-iss') payload.iss = 'https://evil.example';
  else if (how === 'bad-aud') payload.aud = 'someone-else';
  else if (how === 'other-sub') payload.sub = 'another-user';
  else throw new Error(`unknown fault ${how}`);
  const p2 = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const s2 = sign('sha256', Buffer.from(`${h}.${p2}`), privateKey).toString('base64url');
  return `${h}.${p2}.${s2}`;
}

/** A request fault from /__fault query parameters. */
function faultOf(q: URLSearchParams): RequestFault {
  const kind = q.get('kind') ?? 'status';
  if (kind !== 'hang' && kind !== 'status' && kind !== 'delay') throw new Error(`/__fault: kind ${kind}: hang, status or delay`);
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  return { path: q.get('path')!, grant: q.get('grant') ?? undefined, kind, status: num('status'), error: q.get('error') ?? undefined, ms: num('ms'), times: num('times') };
}

/** A DPoP proof decoded (not verified: the provider does that); null fields when it is not a JWT. */
async function proofSeen(jwt: string): Promise<ProofSeen> {
  try {
    const header = decodeProtectedHeader(jwt);
    const claims = decodeJwt(jwt);
    return {
      jkt: header.jwk ? await calculateJwkThumbprint(header.jwk as JWK) : '',
      jti: String(claims.jti ?? ''),
      htm: String(claims['htm'] ?? ''),
      htu: String(claims['htu'] ?? ''),
      iat: Number(claims.iat),
      nonce: typeof claims['nonce'] === 'string',
      ath: typeof claims['ath'] === 'string',
      jwt,
    };
  } catch {
    return { jkt: '', jti: '', htm: '', htu: '', iat: NaN, nonce: false, ath: false, jwt };
  }
}

async function readRequestBody(req: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as Record<string, string>)[c]);
}

export function parseArgs(argv: string[]): ProviderOptions & { apps: string[] } {
  const out: Partial<ProviderOptions> & { apps: string[] } = { apps: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    switch (a) {
      case '--port': out.port = Number(next()); break;
      case '--app': out.apps.push(...next().split(',')); break;
      case '--issuer': out.issuer = next(); break;
      case '--https': out.https = true; break;
      case '--same-site': out.sameSite = sameSiteOf(next()); break;
      case '--access-token-ttl': out.accessTokenTtl = Number(next()); break;
      case '--refresh-token-ttl': out.refreshTokenTtl = Number(next()); break;
      case '--bind': out.bind = next(); break;
      case '-h': case '--help':
        console.log('usage: node e2e/provider/provider.ts --port 9000 --app http://localhost:4200 [--app ...] [--issuer URL] [--https] [--same-site lax|none] [--access-token-ttl 20] [--refresh-token-ttl 3600]');
        process.exit(0);
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  const port = out.port ?? Number(process.env.PROVIDER_PORT ?? 9000);
  if (!out.apps.length) out.apps.push(process.env.APP_ORIGIN ?? 'http://localhost:4200');
  return { ...out, port };
}

function sameSiteOf(v: string): SameSite {
  if (v === 'lax' || v === 'none' || v === 'strict') return v;
  throw new Error(`--same-site ${v}: lax, none or strict`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opts = parseArgs(process.argv.slice(2));
  const p = await startProvider(opts);
  console.log(`OpenID Provider ${p.issuer} (clients spa-code, spa-implicit; apps ${opts.apps.join(', ')}; access token ttl ${p.config.accessTokenTtl}s)`);
  console.log(`request log: ${p.issuer}/__log`);
  const stop = async () => { await p.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
