// A third, independent OpenID Provider for the e2e suite: better-auth with its OAuth 2.1 / OIDC
// provider plugin (@better-auth/oauth-provider), in memory (better-auth's memory adapter, nothing
// to build or migrate). Stock plugin code: nothing here changes how it answers.
//
//   node e2e/provider/better-auth.ts --port 9110 --app http://localhost:4300 [--access-token-ttl 20]
//
// In process:  const p = await startBetterAuth({ port, apps: [origin] }); p.log; p.sessions(); await p.close();
//
// What this launcher adds around the library (what a deployment's host framework does):
//  - a node HTTP server that hands every request under /api/auth to better-auth's fetch handler,
//    logs it (method, path, grant, status, OAuth error, the tokens a token response issued) and adds
//    CORS for the app origins (better-auth leaves CORS to the host framework);
//  - a test user made through better-auth's sign-up API (email + password), and the login page the
//    plugin redirects to (`loginPage`: better-auth ships no UI): a form that posts to better-auth's
//    own `/sign-in/email` with the signed authorization query and follows the redirect it answers;
//  - public clients registered through the plugin's server API (`adminCreateOAuthClient`):
//    `spa-code` (authorization_code + refresh_token, PKCE, no consent screen, RP-initiated logout)
//    and `spa-dpop` (the same, DPoP-bound tokens required), for `<app>/` and post-logout `<app>/`.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { getSchema } from 'better-auth/db';
import { jwt } from 'better-auth/plugins';
import { oauthProvider } from '@better-auth/oauth-provider';
import { decodeProtectedHeader, calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

export const BA_USER = { email: 'test.user@example.com', password: 'e2e-password-42', name: 'Test User' };
export const BA_BASE_PATH = '/api/auth';

export interface BetterAuthOptions {
  port: number;
  /** App origins: redirect URI and post-logout URI `<origin>/`, CORS. */
  apps: string[];
  /** seconds (default 20) */
  accessTokenTtl?: number;
  /** seconds (default 3600) */
  refreshTokenTtl?: number;
  quiet?: boolean;
}

/** One request the provider served (or a note of the launcher: `event`). */
export interface BaLogEntry {
  t: number;
  method?: string;
  /** Path below the issuer: '/oauth2/token', '/oauth2/authorize', ... */
  path?: string;
  origin?: string;
  grant_type?: string;
  prompt?: string;
  scope?: string;
  client_id?: string;
  code_challenge_method?: string;
  token_type_hint?: string;
  has_state?: boolean;
  has_nonce?: boolean;
  has_id_token_hint?: boolean;
  post_logout_redirect_uri?: string;
  refresh_token_sent?: string;
  /** The token a revocation request named. */
  revoked?: string;
  /** The DPoP proof's key thumbprint (RFC 7638), when a `DPoP` header came. */
  dpop_jkt?: string;
  status?: number;
  location?: string;
  error?: string;
  error_description?: string;
  issued?: {
    access_token: string;
    refresh_token?: string;
    id_token: boolean;
    expires_in?: number;
    token_type?: string;
    scope?: string;
  };
  ms?: number;
}

export interface RunningBetterAuth {
  issuer: string;
  port: number;
  version: string;
  log: BaLogEntry[];
  since(t: number): BaLogEntry[];
  /** Live better-auth sessions of the test user (the provider's sign-in sessions). */
  sessions(): Promise<number>;
  /** The discovery document as served. */
  discovery(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const LOGIN_PAGE = (basePath: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in (better-auth e2e)</title></head>
<body><h1>Sign in</h1>
<form id="login"><label>Email <input id="email" name="email" type="email" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
<button id="submit" type="submit">Sign in</button></form><p id="error" role="alert"></p>
<script>
document.getElementById('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch(${JSON.stringify(basePath)} + '/sign-in/email', {
    method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: document.getElementById('email').value, password: document.getElementById('password').value,
      oauth_query: location.search.slice(1) }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.ok && body.url) location.assign(body.url);
  else document.getElementById('error').textContent = res.status + ' ' + JSON.stringify(body);
});
</script></body></html>`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, ko) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => ok(Buffer.concat(parts)));
    req.on('error', ko);
  });
}

/** Fields of a form or JSON body. */
function bodyFields(body: Buffer, type: string | undefined): Record<string, string> {
  const text = body.toString('utf8');
  if (!text) return {};
  try {
    if (type?.includes('application/json')) return JSON.parse(text) as Record<string, string>;
    return Object.fromEntries(new URLSearchParams(text));
  } catch {
    return {};
  }
}

async function proofJkt(proof: string | undefined): Promise<string | undefined> {
  if (!proof) return undefined;
  try {
    const jwk = decodeProtectedHeader(proof).jwk as JWK | undefined;
    return jwk ? await calculateJwkThumbprint(jwk) : undefined;
  } catch {
    return 'unreadable';
  }
}

export async function startBetterAuth(o: BetterAuthOptions): Promise<RunningBetterAuth> {
  const port = Number(o.port);
  const origin = `http://localhost:${port}`;
  const issuer = `${origin}${BA_BASE_PATH}`;
  const apps = o.apps.map((a) => new URL(a).origin);
  const log: BaLogEntry[] = [];
  const db: Record<string, Record<string, unknown>[]> = {};
  // Client ids: the plugin generates them; the e2e apps are built with these.
  const clientIds = ['spa-code', 'spa-dpop'];
  let nextClient = 0;

  const auth = betterAuth({
    baseURL: origin,
    basePath: BA_BASE_PATH,
    secret: randomBytes(32).toString('base64url'),
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    trustedOrigins: [origin, ...apps],
    telemetry: { enabled: false },
    rateLimit: { enabled: false },
    logger: { disabled: Boolean(o.quiet) },
    // The jwt plugin's own /token endpoint is not the OAuth token endpoint (plugin docs).
    disabledPaths: ['/token'],
    plugins: [
      jwt(),
      oauthProvider({
        loginPage: '/login',
        consentPage: '/consent',
        scopes: ['openid', 'profile', 'email', 'offline_access'],
        accessTokenExpiresIn: Number(o.accessTokenTtl ?? 20),
        refreshTokenExpiresIn: Number(o.refreshTokenTtl ?? 3600),
        generateClientId: () => clientIds[nextClient++] ?? `client-${nextClient}`,
        rateLimit: { token: false, authorize: false, revoke: false, userinfo: false, introspect: false, register: false },
      }),
    ],
  });
  // The memory adapter wants every table there from the start (an empty list each).
  for (const table of Object.keys(getSchema(auth.options))) db[table] ??= [];
  const ctx = await auth.$context;
  const version = String((ctx as unknown as { version?: string }).version ?? '');

  // The test user, through better-auth's sign-up API; its sign-up session registers the clients
  // (the plugin's client API wants a signed-in user) and is signed out afterwards.
  const signedUp = await auth.api.signUpEmail({ body: { ...BA_USER }, returnHeaders: true });
  const cookie = signedUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const admin = new Headers({ cookie });
  // The public clients, through the plugin's server-only admin API.
  for (const dpop of [false, true]) {
    await auth.api.adminCreateOAuthClient({
      headers: admin,
      body: {
        client_name: `ngx-auth-renew e2e (code${dpop ? ', DPoP' : ''})`,
        redirect_uris: apps.map((a) => `${a}/`),
        post_logout_redirect_uris: apps.map((a) => `${a}/`),
        token_endpoint_auth_method: 'none',
        // The plugin refuses http and localhost redirect URIs for `web` clients (OIDC Dynamic
        // Registration's rule); `native` is its way to an http://localhost redirect URI.
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid profile email offline_access',
        skip_consent: true,
        enable_end_session: true,
        require_pkce: true,
        ...(dpop ? { dpop_bound_access_tokens: true } : {}),
      },
    });
  }
  await auth.api.signOut({ headers: admin });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const t = Date.now();
    const url = new URL(req.url ?? '/', origin);
    const reqOrigin = req.headers.origin;
    const cors: Record<string, string> = reqOrigin && apps.includes(reqOrigin)
      ? {
        'access-control-allow-origin': reqOrigin,
        vary: 'Origin',
        'access-control-allow-headers': 'authorization, content-type, dpop',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-expose-headers': 'dpop-nonce, www-authenticate',
      }
      : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (url.pathname === '/login') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(LOGIN_PAGE(BA_BASE_PATH));
      return;
    }
    if (!url.pathname.startsWith(BA_BASE_PATH)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
    const fields = { ...Object.fromEntries(url.searchParams), ...bodyFields(body, req.headers['content-type']) };
    const entry: BaLogEntry = {
      t, method: req.method, path: url.pathname.slice(BA_BASE_PATH.length), origin: reqOrigin,
      grant_type: fields['grant_type'], prompt: fields['prompt'], scope: fields['scope'], client_id: fields['client_id'],
      code_challenge_method: fields['code_challenge_method'], token_type_hint: fields['token_type_hint'],
      has_state: 'state' in fields, has_nonce: 'nonce' in fields, has_id_token_hint: 'id_token_hint' in fields,
      post_logout_redirect_uri: fields['post_logout_redirect_uri'],
      refresh_token_sent: fields['grant_type'] === 'refresh_token' ? fields['refresh_token'] : undefined,
      revoked: entry0Path(url.pathname) === '/oauth2/revoke' ? fields['token'] : undefined,
      dpop_jkt: await proofJkt(req.headers['dpop'] as string | undefined),
    };
    log.push(entry);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
      else if (v !== undefined) headers.set(k, v);
    }
    let response: Response;
    try {
      response = await auth.handler(new Request(url, { method: req.method, headers, body: body.length ? new Uint8Array(body) : undefined }));
    } catch (e) {
      entry.status = 500;
      entry.error = `handler threw: ${(e as Error).message}`;
      res.writeHead(500, { 'content-type': 'text/plain', ...cors }).end(entry.error);
      return;
    }
    entry.status = response.status;
    entry.ms = Date.now() - t;
    const location = response.headers.get('location');
    if (location) {
      entry.location = location;
      const back = new URL(location, origin);
      if (back.searchParams.get('error')) entry.error = back.searchParams.get('error') ?? undefined;
    }
    const out = Buffer.from(await response.arrayBuffer());
    if (response.headers.get('content-type')?.includes('json')) {
      try {
        const json = JSON.parse(out.toString('utf8')) as Record<string, unknown>;
        if (typeof json['error'] === 'string') {
          entry.error = json['error'];
          entry.error_description = String(json['error_description'] ?? '');
        }
        if (typeof json['access_token'] === 'string') {
          entry.issued = {
            access_token: json['access_token'],
            refresh_token: typeof json['refresh_token'] === 'string' ? json['refresh_token'] : undefined,
            id_token: typeof json['id_token'] === 'string',
            expires_in: typeof json['expires_in'] === 'number' ? json['expires_in'] : undefined,
            token_type: String(json['token_type'] ?? ''),
            scope: typeof json['scope'] === 'string' ? json['scope'] : undefined,
          };
        }
      } catch { /* not JSON after all */ }
    }
    const outHeaders: Record<string, string | string[]> = { ...cors };
    response.headers.forEach((v, k) => { if (k !== 'set-cookie' && k !== 'content-length' && k !== 'content-encoding') outHeaders[k] = v; });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) outHeaders['set-cookie'] = cookies;
    res.writeHead(response.status, outHeaders).end(out);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  // A request that never ends cannot hold the harness: sockets idle for 15 s are closed.
  server.setTimeout(15000);
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(port, '127.0.0.1', () => ok());
  });

  return {
    issuer,
    port,
    version,
    log,
    since: (t) => log.filter((e) => e.t >= t),
    async sessions() {
      const users = (db['user'] ?? []).filter((u) => u['email'] === BA_USER.email).map((u) => u['id']);
      return (db['session'] ?? []).filter((s) => users.includes(s['userId']) && new Date(String(s['expiresAt'])).getTime() > Date.now()).length;
    },
    async discovery() {
      const r = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
      return await r.json() as Record<string, unknown>;
    },
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

function entry0Path(pathname: string): string {
  return pathname.slice(BA_BASE_PATH.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const get = (k: string) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
  const p = await startBetterAuth({
    port: Number(get('--port') ?? 9110),
    apps: [get('--app') ?? 'http://localhost:4300'],
    accessTokenTtl: Number(get('--access-token-ttl') ?? 20),
  });
  console.log(`better-auth ${p.version} OpenID Provider ${p.issuer} (clients spa-code, spa-dpop; user ${BA_USER.email} / ${BA_USER.password})`);
  const stop = async () => { await p.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
