// The provider presets (`--provider`), each against the quirk of its provider simulated by the e2e
// provider (ProviderQuirks): sign-in, renewal and logout in chromium, with the requests that prove
// the quirk was met. One built app holds the configs of the refresh-token presets (auth0, entra,
// cognito, keycloak, okta; e2e/lib/presets-app.ts); Google (implicit + iframe) has its own.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { LogEntry, ProviderQuirks, RunningProvider } from '../provider/provider.ts';
import {
  APP, AUDIENCE, isInteractiveAuth, postForm, presetDifferences, readState, say, signIn, sleep, waitForApp, withStack,
} from '../lib/kit.ts';
import type { Checks, Sink, Stack } from '../lib/kit.ts';

type Preset = 'auth0' | 'entra' | 'cognito' | 'keycloak' | 'okta' | 'generic';

const tokenRequests = (log: LogEntry[]) => log.filter((e) => e.path === '/token' && e.method === 'POST');
const line = (e: LogEntry) => {
  const params = (['grant_type', 'scope', 'audience', 'prompt', 'response_type', 'client_id', 'logout_uri', 'post_logout_redirect_uri'] as const)
    .filter((k) => e[k] !== undefined).map((k) => `${k}=${e[k]}`);
  const issued = e.issued ? ` → ${e.issued.jwt_aud ? `JWT access token (aud ${JSON.stringify(e.issued.jwt_aud)})` : 'opaque access token'}` +
    `${e.issued.refresh_token ? ' + refresh token' : ''}${e.issued.refresh_end !== undefined ? ` (refresh token ends in ${e.issued.refresh_end} s)` : ''}` : '';
  return `${e.method ?? ''} ${e.path ?? e.event}${params.length ? `?${params.join('&')}` : ''}${e.origin ? ` [Origin ${e.origin}]` : ''} ${e.status ?? ''}` +
    `${e.error ? ` ${e.error}` : ''}${e.event && e.path ? ` (${e.event})` : ''}${issued}`;
};
/** Prints the provider's requests since `t` (for the report: the request each quirk produced). */
function trail(provider: RunningProvider, t: number, label: string): void {
  const entries = provider.since(t).filter((e) => e.path !== '/favicon.ico' && !/^\/(jwks|\.well-known)/.test(e.path ?? '') && e.method !== 'OPTIONS');
  say(`    ${label}:`);
  for (const e of entries) say(`      ${line(e)}`);
}

/** Starts on the preset's config (localStorage['e2e.preset'], read at start-up by the presets app). */
async function usePreset(stack: Stack, preset: Preset): Promise<void> {
  await stack.context.addInitScript((p) => localStorage.setItem('e2e.preset', p), preset);
}

async function renewOnce(page: Page, c: Checks, provider: RunningProvider, before: string | null, label: string): Promise<{ at: number; log: LogEntry[] } | null> {
  const t = Date.now();
  try {
    await page.waitForFunction((at) => { const tok = window.auth.accessToken(); return tok !== null && tok !== at; }, before, { timeout: 20000, polling: 50 });
  } catch {
    c.ok(false, `${label}: renewed`, 'no new access token within 20 s');
    return null;
  }
  const log = provider.since(t);
  return { at: Date.now(), log };
}

/** Logout through the app; back on the app signed out; the provider's log of it. */
async function logout({ page, provider, sink, events }: Stack, c: Checks, label: string, waitFor: (e: LogEntry) => boolean):
  Promise<{ log: LogEntry[]; signedOut: { error: string | null } | undefined }> {
  const t = Date.now();
  sink.errors.length = 0;
  const warnings: string[] = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.evaluate(() => { void window.auth.logout(); });
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && !provider.since(t).some(waitFor)) await sleep(100);
  try {
    await page.waitForURL((u) => u.origin === APP, { timeout: 15000 });
    await waitForApp(page);
    await page.waitForFunction(() => !window.auth.isAuthenticated(), null, { timeout: 5000 });
    c.ok(true, `${label}: back on the app, signed out`);
  } catch (e) {
    c.ok(false, `${label}: back on the app, signed out`, String((e as Error).message).split('\n')[0]);
  }
  const signedOut = events.filter((e) => e.type === 'signed-out' && e.t >= t).at(-1);
  c.ok(signedOut, `${label}: a signed-out event`);
  c.ok(!warnings.some((w) => /Sign-out:/.test(w)), `${label}: no console warning about revocation`, warnings.join(' | '));
  return { log: provider.since(t), signedOut };
}

/** prompt=none against the provider with the browser's cookies: login_required once the provider session is gone. */
async function providerSessionGone(stack: Stack, c: Checks, label: string): Promise<void> {
  const probe = new URL(`${stack.provider.issuer}/auth`);
  Object.entries({ client_id: 'spa-code', response_type: 'code', scope: 'openid', redirect_uri: `${APP}/`, prompt: 'none',
    state: 'probe', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })
    .forEach(([k, v]) => probe.searchParams.set(k, v));
  const res = await stack.context.request.get(probe.href, { maxRedirects: 0 });
  const loc = res.headers().location ?? '';
  c.ok(/error=login_required/.test(loc), `${label}: the provider session is over (prompt=none → login_required)`, loc.slice(0, 100));
}

function presetStack(preset: Preset, quirks: ProviderQuirks, extra: { refreshTokenTtl?: number } = {}) {
  return <T>(fn: (stack: Stack) => Promise<T>) => withStack({ appId: 'presets', provider: { quirks, ...extra } }, async (stack) => {
    await usePreset(stack, preset);
    return fn(stack);
  });
}

export async function presets(c: Checks): Promise<void> {
  // 0. One build holds every refresh-token preset: their generated code differs in auth.config.ts only.
  await withStack({ appId: 'presets' }, async () => undefined);
  const differing = presetDifferences.get('presets') ?? {};
  c.ok(Object.keys(differing).length === 6 && Object.values(differing).every((files) => files.length === 0),
    'auth0, entra, cognito, keycloak, okta and generic differ in auth.config.ts only (one build for all)', JSON.stringify(differing));

  // The generated Playwright helper (e2e-session.ts of the built app) opens the app signed in: no provider page.
  await withStack({ appId: 'presets' }, async ({ provider, context, page, made }) => {
    const helper = await import(pathToFileURL(join(made.dir, 'src', 'app', 'auth', 'e2e-session.ts')).href) as {
      signInForE2e(target: unknown, config: Record<string, unknown>, options?: Record<string, unknown>): Promise<void>;
    };
    const t = Date.now();
    await helper.signInForE2e(context, { authority: provider.issuer, clientId: 'spa-code', storage: 'session' },
      { claims: { sub: 'e2e-user', name: 'E2E User' }, accessToken: 'e2e-at' });
    await page.goto(`${APP}/`);
    await waitForApp(page);
    const s = await readState(page);
    const asked = provider.since(t).filter((e) => e.path === '/auth' || e.path === '/token');
    c.ok(s.isAuthenticated && s.accessToken === 'e2e-at' && asked.length === 0,
      'signInForE2e (generated e2e-session.ts) opens the built app signed in, without the provider\'s pages',
      `${asked.length} /auth or /token request(s); page says ${await page.locator('body').innerText().then((b) => b.split('\n').find((l) => /E2E User|signed in/i.test(l)) ?? '?')}`);
  });

  // 1. Auth0: `audience` required for a JWT access token, else opaque.
  say('  auth0 (quirk: a JWT access token only for an audience)');
  await presetStack('auth0', { audience: true })(async (stack) => {
    const { provider, page, sink } = stack;
    const t = Date.now();
    const { s, authReq, codeToken } = await signIn(page, c, provider, APP, sink, { quiet: true });
    c.ok(authReq[0]?.audience === AUDIENCE, 'auth0: the authorization request carries audience', authReq[0]?.audience);
    c.ok(codeToken[0]?.issued?.jwt_aud === AUDIENCE, 'auth0: the code grant gave a JWT access token for the audience',
      JSON.stringify(codeToken[0]?.issued?.jwt_aud ?? 'opaque'));
    c.ok(s.accessToken?.split('.').length === 3, 'auth0: the app holds the JWT access token');
    const renewal = await renewOnce(page, c, provider, s.accessToken, 'auth0');
    const refresh = renewal ? tokenRequests(renewal.log).filter((e) => e.grant_type === 'refresh_token') : [];
    c.ok(refresh.length === 1 && refresh[0].issued?.jwt_aud === AUDIENCE, 'auth0: renewal (refresh_token) gives a JWT for the audience again',
      refresh.map(line).join('; '));
    const { log, signedOut } = await logout(stack, c, 'auth0', (e) => e.event === 'end_session.success');
    c.ok(log.some((e) => e.event === 'end_session.success'), 'auth0: logout ended the provider session (end_session_endpoint)');
    c.ok(!signedOut?.error, 'auth0: signed-out without a revocation failure', signedOut?.error ?? '');
    trail(provider, t, 'auth0 requests');
  });
  await presetStack('generic', { audience: true })(async ({ provider, page, sink }) => {
    const { codeToken, authReq } = await signIn(page, c, provider, APP, sink, { quiet: true });
    c.ok(authReq[0]?.audience === undefined && codeToken[0]?.issued !== undefined && codeToken[0].issued.jwt_aud === undefined,
      'auth0 quirk, control: without an audience (the generic config) the access token is opaque', line(codeToken[0] ?? { t: 0 }));
  });

  // 2. Entra ID: no revocation endpoint, Origin required at the token endpoint, refresh tokens with
  // a fixed end (refresh_token_expires_in).
  say('  entra (quirks: no revocation endpoint, Origin required, refresh token with a fixed end)');
  const RT_TTL = 25;
  await presetStack('entra', { noRevocation: true, originRequired: true, refreshTokenEnd: 'refresh_token_expires_in' }, { refreshTokenTtl: RT_TTL })(
    async (stack) => {
      const { provider, page, sink, events } = stack;
      const t = Date.now();
      const noOrigin = await postForm(`${provider.issuer}/token`, { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'spa-code' });
      c.ok(noOrigin.status === 400, 'entra quirk: a token request without Origin is refused', `${noOrigin.status} ${JSON.stringify(noOrigin.json)}`);
      const { s, codeToken } = await signIn(page, c, provider, APP, sink, { quiet: true });
      const signedInAt = Date.now();
      const endsAt = await page.evaluate(() => (window.auth as unknown as { sessionEndsAt(): number | null }).sessionEndsAt());
      c.ok(codeToken[0]?.origin === APP && codeToken[0]?.status === 200, 'entra: the code grant was sent cross-origin (Origin header) and accepted', line(codeToken[0] ?? { t: 0 }));
      c.ok(endsAt !== null && Math.abs(endsAt - (signedInAt + RT_TTL * 1000)) < 3000, 'entra: sessionEndsAt = sign-in + the refresh token\'s fixed lifetime',
        endsAt === null ? 'null' : `${Math.round((endsAt - signedInAt) / 1000)} s after sign-in`);
      const warning = s.events.find((e) => e.type === 'warning' && /^session_limit/.test(e.error ?? ''))
        ?? events.find((e) => e.type === 'warning' && /^session_limit/.test(e.error ?? ''));
      c.ok(Boolean(warning) && warning!.t - signedInAt < 2000, 'entra: a warning event ahead of the session end (sessionWarningSeconds 300 > lifetime: at sign-in)',
        warning?.error ?? 'none');
      const ended = await page.waitForFunction(() => window.authEvents.find((e) => e.type === 'session-ended') ?? null, null,
        { timeout: (RT_TTL + 30) * 1000, polling: 100 }).then((h) => h.jsonValue()).catch(() => null);
      const tokens = tokenRequests(provider.since(t)).filter((e) => e.grant_type === 'refresh_token');
      c.ok(ended !== null && /^session_limit/.test(ended.error ?? ''), 'entra: the session ended by its limit (session-ended session_limit)', ended?.error ?? 'none');
      c.ok(tokens.length >= 2 && tokens.every((e) => e.status === 200 && e.origin === APP), 'entra: every renewal was accepted (Origin sent), none refused',
        `${tokens.length} refresh_token requests: ${[...new Set(tokens.map((e) => `${e.status}${e.error ? ` ${e.error}` : ''}`))].join(', ')}`);
      c.ok(endsAt !== null && tokens.every((e) => e.t < endsAt), 'entra: no renewal request past the refresh token\'s end (nothing for the provider to refuse)',
        `last ${endsAt !== null && tokens.length ? Math.round((tokens.at(-1)!.t - endsAt) / 1000) : '?'} s from the end`);
      trail(provider, t, 'entra requests up to the session end');
      // Signed in again, logout: no revocation endpoint, so no revocation request and no warning.
      const t2 = Date.now();
      await signIn(page, c, provider, APP, sink, { quiet: true });
      const { log, signedOut } = await logout(stack, c, 'entra', (e) => e.event === 'end_session.success');
      c.ok(!log.some((e) => e.path?.includes('revocation')) && !signedOut?.error, 'entra: logout without revocation request and without a failure',
        signedOut?.error ?? '');
      c.ok(log.some((e) => e.event === 'end_session.success'), 'entra: logout ended the provider session');
      trail(provider, t2, 'entra sign-in again and logout');
    });

  // 3. Cognito: no end_session_endpoint; the domain's /logout?client_id&logout_uri; no revocation in discovery.
  say('  cognito (quirks: no end_session_endpoint but /logout?client_id&logout_uri, no revocation endpoint)');
  await presetStack('cognito', { logout: 'cognito', noRevocation: true })(async (stack) => {
    const { provider, page, sink } = stack;
    const t = Date.now();
    const { s, authReq, codeToken } = await signIn(page, c, provider, APP, sink, { quiet: true });
    c.ok(authReq[0]?.scope === 'openid profile email' && Boolean(codeToken[0]?.issued?.refresh_token),
      'cognito: no offline_access asked, a refresh token issued', `scope "${authReq[0]?.scope}"`);
    const renewal = await renewOnce(page, c, provider, s.accessToken, 'cognito');
    c.ok(renewal !== null && tokenRequests(renewal.log).filter((e) => e.grant_type === 'refresh_token' && e.status === 200).length === 1, 'cognito: renewed by refresh token');
    const { log, signedOut } = await logout(stack, c, 'cognito', (e) => e.path === '/logout');
    const out = log.find((e) => e.path === '/logout');
    c.ok(out?.client_id === 'spa-code' && out.logout_uri === `${APP}/` && out.event === 'cognito_logout.session_ended' && out.status === 302,
      'cognito: logout went to /logout?client_id&logout_uri and ended the provider session', out ? line(out) : 'no /logout request');
    c.ok(!log.some((e) => e.path?.includes('revocation') || e.path?.startsWith('/session/end')) && !signedOut?.error,
      'cognito: no revocation or end_session request, no failure', signedOut?.error ?? '');
    await providerSessionGone(stack, c, 'cognito');
    trail(provider, t, 'cognito requests');
  });

  // 4. Keycloak: refresh tokens end with the SSO session; the token response says when (refresh_expires_in).
  say('  keycloak (quirk: refresh_expires_in in token responses)');
  await presetStack('keycloak', { refreshTokenEnd: 'refresh_expires_in' }, { refreshTokenTtl: 600 })(async (stack) => {
    const { provider, page, sink } = stack;
    const t = Date.now();
    const { s, authReq, codeToken } = await signIn(page, c, provider, APP, sink, { quiet: true });
    const endsAt = await page.evaluate(() => (window.auth as unknown as { sessionEndsAt(): number | null }).sessionEndsAt());
    c.ok(authReq[0]?.scope === 'openid profile email' && Boolean(codeToken[0]?.issued?.refresh_token), 'keycloak: no offline_access asked, a refresh token issued');
    c.ok(endsAt !== null && Math.abs(endsAt - (Date.now() + 600_000)) < 5000, 'keycloak: sessionEndsAt from refresh_expires_in',
      endsAt === null ? 'null' : `${Math.round((endsAt - Date.now()) / 1000)} s ahead`);
    const renewal = await renewOnce(page, c, provider, s.accessToken, 'keycloak');
    c.ok(renewal !== null && tokenRequests(renewal.log).some((e) => e.grant_type === 'refresh_token' && e.status === 200), 'keycloak: renewed by refresh token');
    const { log, signedOut } = await logout(stack, c, 'keycloak', (e) => e.event === 'end_session.success');
    c.ok(log.some((e) => e.path === '/token/revocation') && !signedOut?.error && log.some((e) => e.event === 'end_session.success'),
      'keycloak: logout revoked the tokens and ended the provider session', signedOut?.error ?? '');
    trail(provider, t, 'keycloak requests');
  });

  // 5. Okta: the token endpoint wants an Origin header (CORS trusted origins).
  say('  okta (quirk: Origin required at the token endpoint)');
  await presetStack('okta', { originRequired: true })(async (stack) => {
    const { provider, page, sink } = stack;
    const t = Date.now();
    const { s, authReq, codeToken } = await signIn(page, c, provider, APP, sink, { quiet: true });
    c.ok(/offline_access/.test(authReq[0]?.scope ?? '') && codeToken[0]?.origin === APP && codeToken[0]?.status === 200,
      'okta: offline_access asked; the code grant sent with Origin and accepted', line(codeToken[0] ?? { t: 0 }));
    const renewal = await renewOnce(page, c, provider, s.accessToken, 'okta');
    const refresh = renewal ? tokenRequests(renewal.log) : [];
    c.ok(refresh.length === 1 && refresh[0].origin === APP && refresh[0].status === 200, 'okta: renewal sent with Origin and accepted', refresh.map(line).join('; '));
    const { log, signedOut } = await logout(stack, c, 'okta', (e) => e.event === 'end_session.success');
    c.ok(log.some((e) => e.path === '/token/revocation' && e.status === 200) && !signedOut?.error && log.some((e) => e.event === 'end_session.success'),
      'okta: logout revoked the tokens and ended the provider session', signedOut?.error ?? '');
    trail(provider, t, 'okta requests');
  });

  // 6. Google (implicit + iframe, its own build): no revocation endpoint, no end_session_endpoint.
  say('  google (quirks: no revocation endpoint, no end_session_endpoint)');
  await withStack({ appId: 'preset-google', provider: { quirks: { noRevocation: true, logout: 'none' } } }, async ({ provider, page, sink }) => {
    const t = Date.now();
    const { s, authReq } = await signIn(page, c, provider, APP, sink, { quiet: true });
    c.ok(authReq[0]?.response_type === 'id_token token' && authReq[0]?.scope === 'openid profile email', 'google: implicit sign-in (id_token token), openid profile email');
    const renewal = await renewOnce(page, c, provider, s.accessToken, 'google');
    c.ok(renewal !== null && renewal.log.filter((e) => e.path === '/auth' && e.prompt === 'none' && !e.error).length === 1, 'google: renewed by the iframe (prompt=none)');
    const before = Date.now();
    await page.evaluate(() => window.auth.logout());
    await sleep(1000);
    const st = await readState(page);
    const requests = provider.since(before).filter((e) => e.path && e.method !== 'OPTIONS');
    const signedOut = st.events.filter((e) => e.type === 'signed-out' && e.t >= before).at(-1);
    c.ok(!st.isAuthenticated && st.href.startsWith(APP) && signedOut && !signedOut.error, 'google: logout signs out in the app, without a failure', signedOut?.error ?? '');
    c.ok(requests.every((e) => !/revocation|session\/end/.test(e.path ?? '')) && !requests.some(isInteractiveAuth),
      'google: no revocation and no end-session request (the provider has neither)', requests.map(line).join('; ') || 'no request');
    trail(provider, t, 'google requests');
  });
}

