// `ng add --dpop` (RFC 9449): tokens bound to a key pair the page holds in IndexedDB. Client
// `spa-dpop` (dpop_bound_access_tokens) of the e2e provider; /me is the DPoP-protected resource,
// called through the interceptor (secureRoutes ['<issuer>/me']). Part 1 without server nonces,
// part 2 with them (every proof must carry the provider's nonce).
import { generateKeyPair, SignJWT, exportJWK } from 'jose';
import type { Page } from 'playwright-core';
import type { LogEntry, RunningProvider } from '../provider/provider.ts';
import { APP, Checks, TOLERANCE, fmt, readState, say, signIn, sleep, stats, waitForApp, withStack } from '../lib/kit.ts';
import type { PageState } from '../lib/kit.ts';
import { refreshSince, target, waitNewToken } from './helpers.ts';

/** The key pairs in the page's `auth.dpop` IndexedDB (none when the database does not exist). */
interface PageKey {
  id: string;
  /** RFC 7638 thumbprint of the public key. */
  jkt: string;
  privateExtractable: boolean;
}

function pageKeys(page: Page): Promise<PageKey[]> {
  return page.evaluate(async () => {
    // Opened only when it exists: opening creates it, without the app's object store.
    if (!(await indexedDB.databases()).some((d) => d.name === 'auth.dpop')) return [];
    const db = await new Promise<IDBDatabase>((ok, ko) => {
      const r = indexedDB.open('auth.dpop');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    if (!db.objectStoreNames.contains('keys')) return (db.close(), []);
    const all = <T,>(req: IDBRequest<T>) => new Promise<T>((ok, ko) => { req.onsuccess = () => ok(req.result); req.onerror = () => ko(req.error); });
    const store = db.transaction('keys', 'readonly').objectStore('keys');
    const [ids, pairs] = await Promise.all([all(store.getAllKeys()), all(store.getAll() as IDBRequest<CryptoKeyPair[]>)]);
    db.close();
    const b64u = (b: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return Promise.all(pairs.map(async (pair, i) => {
      const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
      const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
      const jkt = b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)));
      return { id: String(ids[i]), jkt, privateExtractable: pair.privateKey.extractable };
    }));
  });
}

/** The refresh token the page keeps (the stored session, `auth.session*` in sessionStorage). */
function storedRefreshToken(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('auth.session'));
    const session = key ? JSON.parse(sessionStorage.getItem(key) ?? 'null') as { refreshToken?: string } | null : null;
    return session?.refreshToken ?? null;
  });
}

/**
 * A refresh_token grant sent from node (the attacker's side), with the given DPoP header or none;
 * `detail`: the provider's reason (its log), which the response does not tell.
 */
async function stolenRefresh(provider: RunningProvider, refreshToken: string, proof?: string): Promise<{ status: number; error: string; detail: string }> {
  const t = Date.now();
  const res = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(proof ? { DPoP: proof } : {}) },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa-dpop' }),
  });
  const body = await res.json().catch(() => ({})) as { error?: string; error_description?: string };
  const entry = provider.since(t).filter((e) => e.path === '/token' && !e.origin && e.refresh_token_sent === refreshToken).at(-1);
  return { status: res.status, error: body.error ?? '', detail: `${body.error_description ?? ''} (${entry?.error_detail ?? 'no reason logged'})` };
}

/** A well-formed proof for `htm htu`, signed in node with another ES256 key than the page's. */
async function foreignProof(htm: string, htu: string, accessToken?: string): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const claims: Record<string, string> = { htm, htu, jti: crypto.randomUUID() };
  if (accessToken) claims['ath'] = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))).toString('base64url');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(publicKey) }).setIssuedAt().sign(privateKey);
}

const line = (e: LogEntry) => `${e.method} ${e.path} ${e.status}${e.error ? ` ${e.error}` : ''}${e.dpop ? ` proof jkt …${e.dpop.jkt.slice(-6)}${e.dpop.nonce ? ' +nonce' : ''}` : ' no proof'}`;

/**
 * `cycles` scheduled renewals: each on time (within TOLERANCE of expiresAt - renewBefore), its
 * refresh_token requests counted, each with a proof of `jkt` and a DPoP token bound to `jkt`.
 */
async function renewals(page: Page, c: Checks, provider: RunningProvider, start: PageState, jkt: string, cycles: number,
  label: string): Promise<{ state: PageState | null; requests: number[]; offsets: number[] }> {
  const requests: number[] = [];
  const offsets: number[] = [];
  let prev = start;
  for (let i = 1; i <= cycles; i++) {
    const due = target(prev);
    if (!await waitNewToken(page, prev.accessToken, due - Date.now() + 10000)) {
      c.ok(false, `${label} renewal ${i}: a new access token`, 'none within 10 s after the target');
      return { state: null, requests, offsets };
    }
    const s = await readState(page);
    const reqs = refreshSince(provider, prev.now).filter((e) => e.t <= s.now);
    const issued = reqs.find((e) => e.issued)?.issued;
    const offset = (reqs[0]?.t ?? NaN) - due;
    requests.push(reqs.length);
    offsets.push(offset);
    c.ok(Math.abs(offset) <= TOLERANCE, `${label} renewal ${i}: on time`, `offset ${Math.round(offset)} ms`);
    c.ok(reqs.every((e) => e.dpop?.jkt === jkt && e.dpop.htm === 'POST' && e.dpop.htu === `${provider.issuer}/token`),
      `${label} renewal ${i}: every refresh_token request carries a proof of the page's key (htm POST, htu /token)`, reqs.map(line).join('; '));
    c.ok(issued?.access_token === s.accessToken && issued.token_type === 'DPoP' && issued.jkt === jkt && issued.refresh_jkt === jkt,
      `${label} renewal ${i}: the new tokens are DPoP tokens bound to the page's key (cnf.jkt)`,
      `token_type ${issued?.token_type}, access token jkt …${issued?.jkt?.slice(-6)}, refresh token jkt …${issued?.refresh_jkt?.slice(-6)}`);
    prev = s;
  }
  return { state: prev, requests, offsets };
}

export async function dpop(c: Checks): Promise<void> {
  const figures: Record<string, unknown> = {};
  c.figures = figures;

  // Part 1: DPoP without server nonces.
  await withStack({ appId: 'code-refresh-dpop' }, async ({ provider, page, sink }) => {
    const me = `${provider.issuer}/me`;
    const { s, authReq, codeToken } = await signIn(page, c, provider, APP, sink, { quiet: true });
    const keys = await pageKeys(page);
    const jkt = keys[0]?.jkt ?? '';
    c.must(keys.length === 1 && !keys[0].privateExtractable, 'sign-in made one key pair in IndexedDB (auth.dpop), private key not extractable',
      keys.map((k) => `${k.id}: …${k.jkt.slice(-6)}, extractable ${k.privateExtractable}`).join('; '));
    const code = codeToken[0];
    c.ok(authReq.length === 1 && authReq[0].dpop_jkt === jkt, '/auth carries dpop_jkt = the thumbprint of the page\'s key', `…${authReq[0]?.dpop_jkt?.slice(-6)} vs …${jkt.slice(-6)}`);
    c.ok(codeToken.length === 1 && code.dpop?.jkt === jkt && code.status === 200, 'one code exchange, with a proof of that key', codeToken.map(line).join('; '));
    c.ok(code?.issued?.access_token === s.accessToken && code.issued.token_type === 'DPoP' && code.issued.jkt === jkt && code.issued.refresh_jkt === jkt,
      'sign-in tokens: token_type DPoP, access and refresh token bound to the page\'s key (cnf.jkt)', `token_type ${code?.issued?.token_type}, jkt …${code?.issued?.jkt?.slice(-6)} / …${code?.issued?.refresh_jkt?.slice(-6)}`);

    const r = await renewals(page, c, provider, s, jkt, 3, 'no nonce:');
    figures['requestsPerRenewal'] = r.requests;
    figures['offsets'] = r.offsets;
    c.ok(r.requests.length === 3 && r.requests.every((n) => n === 1), 'three renewals: one refresh_token request each', fmt(r.requests));
    c.must(r.state, 'renewals done');

    // The interceptor: DPoP token + proof (htm, htu without query, ath) to /me.
    const t0 = Date.now();
    const api = await page.evaluate((u) => window.api(u), `${me}?x=1`);
    const cur = await readState(page);
    const call = provider.since(t0).filter((e) => e.path === '/me' && e.method === 'GET');
    c.ok(api.status === 200 && (api.body as { sub?: string } | null)?.sub === 'test-user', 'GET /me through HttpClient (interceptor) succeeds', `${api.status} ${api.error ?? ''}`);
    c.ok(call.length === 1 && call[0].dpop_token === cur.accessToken && call[0].bearer === '' && call[0].dpop?.jkt === jkt && call[0].dpop.htm === 'GET' && call[0].dpop.htu === me && call[0].dpop.ath,
      'it sent Authorization: DPoP <token> and a proof of the page\'s key (htm GET, htu without query, ath)', call.map((e) => `${line(e)}, htu ${e.dpop?.htu}, ath ${e.dpop?.ath}, scheme ${e.dpop_token ? 'DPoP' : e.bearer ? 'Bearer' : 'none'}`).join('; '));

    // The token alone, from node: refused without a proof, as Bearer, and with another key's proof.
    const token = String(cur.accessToken);
    const get = async (headers: Record<string, string>) => {
      const res = await fetch(me, { headers });
      return `${res.status} ${res.headers.get('www-authenticate') ?? ''}`.trim();
    };
    const noProof = await get({ Authorization: `DPoP ${token}` });
    const asBearer = await get({ Authorization: `Bearer ${token}` });
    const otherKey = await get({ Authorization: `DPoP ${token}`, DPoP: await foreignProof('GET', me, token) });
    // oidc-provider answers a DPoP token without a proof 400 invalid_request (RFC 6750 3.1), not 401.
    c.ok(/^400 DPoP .*error="invalid_request".*`DPoP` header not provided/.test(noProof), '/me with Authorization: DPoP <token> and no proof (node): 400 invalid_request', noProof);
    c.ok(asBearer.startsWith('401'), '/me with the DPoP token as Bearer (node): 401', asBearer);
    c.ok(otherKey.startsWith('401'), '/me with the token and a proof of another key (node): 401', otherKey);
    const seenErrors = sink.errors.length;
    const pageNoProof = await page.evaluate(async ([u, t]) => {
      const res = await fetch(u, { headers: { Authorization: `DPoP ${t}` } });
      return `${res.status} ${res.headers.get('www-authenticate') ?? ''}`;
    }, [me, token] as const);
    const expectedErrors = sink.errors.splice(seenErrors); // the browser reports the refused request
    c.ok(/^400 DPoP .*error="invalid_request"/.test(pageNoProof) && expectedErrors.every((e) => /status of 400/.test(e)),
      '/me with the token and no proof (page fetch): 400 invalid_request', pageNoProof);

    // Stolen refresh token: a proof captured on its way to /token, replayed; no proof; another key.
    let captured: string | undefined;
    await page.route(`${provider.issuer}/token`, async (route) => {
      if (/grant_type=refresh_token/.test(route.request().postData() ?? '')) captured ??= route.request().headers()['dpop'];
      await route.continue();
    });
    const renewed = await page.evaluate(() => window.auth.renewToken().then(() => 'ok', (e) => String(e)));
    await page.unroute(`${provider.issuer}/token`);
    c.must(renewed === 'ok' && captured, 'a renewal by hand, its proof captured in the browser', renewed);
    const rt = await storedRefreshToken(page);
    c.must(rt, 'the page\'s current refresh token (sessionStorage)');
    const replay = await stolenRefresh(provider, rt!, captured);
    const bare = await stolenRefresh(provider, rt!);
    const foreign = await stolenRefresh(provider, rt!, await foreignProof('POST', `${provider.issuer}/token`));
    c.ok(replay.status === 400 && replay.error === 'invalid_grant' && /replay/i.test(replay.detail), 'the captured proof replayed with the current refresh token: refused (replay)', `${replay.status} ${replay.error}: ${replay.detail}`);
    c.ok(bare.status === 400 && bare.error === 'invalid_grant' && /not provided/i.test(bare.detail), 'the refresh token without a proof: refused', `${bare.status} ${bare.error}: ${bare.detail}`);
    c.ok(foreign.status === 400 && foreign.error === 'invalid_grant' && /jkt/i.test(foreign.detail), 'the refresh token with a proof of another key: refused (jkt)', `${foreign.status} ${foreign.error}: ${foreign.detail}`);
    const after = await page.evaluate(() => window.auth.renewToken().then(() => 'ok', (e) => String(e)));
    c.ok(after === 'ok' && (await storedRefreshToken(page)) !== rt, 'the refused attempts did not spend it: the app renews with it afterwards', after);

    // Reload: same key, same session, renewals keep using it.
    const before = await readState(page);
    const t1 = Date.now();
    await page.reload();
    await waitForApp(page);
    await page.waitForFunction(() => window.auth.isAuthenticated(), null, { timeout: 10000 }).catch(() => {});
    const reloaded = await readState(page);
    const keys2 = await pageKeys(page);
    c.ok(reloaded.isAuthenticated && reloaded.accessToken === before.accessToken, 'reload keeps the session (same token)', `${Date.now() - t1} ms`);
    c.ok(keys2.length === 1 && keys2[0].jkt === jkt, 'reload keeps the key (same thumbprint)', keys2.map((k) => `…${k.jkt.slice(-6)}`).join(', '));
    const r2 = await renewals(page, c, provider, { ...reloaded, now: t1 }, jkt, 1, 'after reload:');
    const api2 = await page.evaluate((u) => window.api(u), me);
    c.ok(r2.state && api2.status === 200, 'after reload: renewal and /me work with the stored key', `/me ${api2.status}`);

    // Logout deletes the key.
    const t2 = Date.now();
    await page.evaluate(() => { void window.auth.logout(); });
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline && !provider.since(t2).some((e) => e.event === 'end_session.success')) await sleep(100);
    await page.waitForURL((u) => u.origin === APP, { timeout: 15000 }).catch(() => {});
    await waitForApp(page).catch(() => {});
    const out = await readState(page);
    const keys3 = await pageKeys(page);
    const tabId = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('auth.dpop')));
    c.ok(!out.isAuthenticated, 'logout: signed out');
    c.ok(keys3.length === 0, 'logout: the key is gone from IndexedDB', keys3.map((k) => `${k.id}: …${k.jkt.slice(-6)}`).join(', ') || 'empty');
    c.ok(tabId.length === 0, 'logout: the tab\'s key id is gone from sessionStorage', tabId.join(', ') || 'none');
    c.ok(sink.errors.length === 0, 'no console or page errors', sink.errors.slice(0, 3).join(' | '));
  });

  // Part 2: the provider requires a DPoP nonce in every proof.
  await withStack({ appId: 'code-refresh-dpop', provider: { dpopNonce: true } }, async ({ provider, page, sink }) => {
    const me = `${provider.issuer}/me`;
    const { s, codeToken } = await signIn(page, c, provider, APP, sink, { quiet: true });
    const jkt = (await pageKeys(page))[0]?.jkt ?? '';
    const [first, second] = codeToken;
    c.ok(codeToken.length === 2 && first.error === 'use_dpop_nonce' && !first.dpop?.nonce && first.dpop_nonce_sent
      && second.status === 200 && second.dpop?.nonce && second.issued?.jkt === jkt,
      'nonces on: the code exchange gets use_dpop_nonce, retried once with the nonce, DPoP tokens bound to the key', codeToken.map(line).join('; '));
    const r = await renewals(page, c, provider, s, jkt, 3, 'nonce:');
    figures['requestsPerRenewalWithNonce'] = r.requests;
    const reqs = refreshSince(provider, s.now);
    c.ok(r.requests.length === 3 && r.requests.every((n) => n === 1) && reqs.every((e) => e.dpop?.nonce && !e.error),
      'nonces on: three renewals with one refresh_token request each (the nonce kept between renewals)', `${fmt(r.requests)}; ${reqs.map(line).join('; ')}`);

    const t0 = Date.now();
    const api = await page.evaluate((u) => window.api(u), me);
    const calls = provider.since(t0).filter((e) => e.path === '/me' && e.method === 'GET');
    figures['meCallsWithNonce'] = calls.length;
    c.ok(api.status === 200, 'nonces on: GET /me through HttpClient succeeds', `${api.status} ${api.error ?? ''}`);
    c.ok(calls.length === 2 && calls[0].status === 401 && /use_dpop_nonce/.test(calls[0].www_authenticate ?? '') && calls[0].dpop_nonce_sent && !calls[0].dpop?.nonce
      && calls[1].status === 200 && calls[1].dpop?.nonce,
      'nonces on: /me\'s use_dpop_nonce challenge answered once, with the nonce', calls.map((e) => `${line(e)}${e.www_authenticate ? ` [${e.www_authenticate}]` : ''}`).join('; '));
    // The browser reports the two requests refused by design: the code exchange's 400 use_dpop_nonce, /me's 401.
    const refused = sink.errors.map((e) => /status of (\d+)/.exec(e)?.[1] ?? e).join(', ');
    c.ok(refused === '400, 401', 'no console or page errors but the refused first code exchange (400) and /me challenge (401)', refused);
    say(`    figures: refresh_token requests/renewal [${fmt(figures['requestsPerRenewal'] as number[])}] (offset ms ${stats(figures['offsets'] as number[])}); with nonces [${fmt(r.requests)}]; /me calls with nonces ${calls.length}`);
  });
}
