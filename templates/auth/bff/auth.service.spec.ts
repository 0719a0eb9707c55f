import { PLATFORM_ID, Provider, REQUEST, TransferState, makeStateKey } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AUTH_CONFIG } from './auth-config';
import { AuthEvent, AuthService, SessionInfo } from './auth.service';

const session: SessionInfo = {
  user: { sub: 'u1', name: 'Ada' },
  expiresAt: Date.now() + 3_600_000,
};
const stateKey = makeStateKey<SessionInfo | null>('ngx-auth-renew.session');

describe('AuthService (backend for frontend)', () => {
  const realFetch = globalThis.fetch;
  let calls: { url: string; init: RequestInit | undefined }[];
  let events: AuthEvent[];

  function answer(status: number, body: unknown): void {
    globalThis.fetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
  }

  function setup(
    platform: 'browser' | 'server',
    providers: Provider[] = [],
    rendered?: SessionInfo | null,
  ): AuthService {
    TestBed.configureTestingModule({
      providers: [
        { provide: AUTH_CONFIG, useValue: { bffPath: '/bff' } },
        { provide: PLATFORM_ID, useValue: platform },
        ...providers,
      ],
    });
    if (rendered !== undefined) TestBed.inject(TransferState).set(stateKey, rendered);
    const auth = TestBed.inject(AuthService);
    auth.events.subscribe((event) => events.push(event));
    return auth;
  }

  beforeEach(() => {
    calls = [];
    events = [];
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    TestBed.resetTestingModule();
  });

  it('asks GET /bff/user with the CSRF header and holds the user, never a token', async () => {
    answer(200, session);
    const auth = setup('browser');
    await auth.start();
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.user()?.['name']).toBe('Ada');
    expect(auth.expiresAt()).toBe(session.expiresAt);
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['GET /bff/user']);
    expect(new Headers(calls[0].init?.headers).get('x-bff-csrf')).toBe('1');
    expect(events.map((e) => e.type)).toEqual(['signed-in']);
    expect(JSON.stringify(Object.keys(auth))).not.toMatch(/token/i);
  });

  it('is signed out when the server answers 401', async () => {
    answer(401, { error: 'unauthenticated' });
    const auth = setup('browser');
    await auth.start();
    expect(auth.isAuthenticated()).toBe(false);
    expect(events).toEqual([]);
  });

  it('an unreachable server is a warning, not a sign-out', async () => {
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const auth = setup('browser');
    await auth.start();
    expect(auth.isAuthenticated()).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['warning']);
  });

  it('on the server, reads the user from the request and hands it to the browser through TransferState', async () => {
    const header = btoa(JSON.stringify(session))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const request = new Request('https://app.example.com/', { headers: { 'x-bff-user': header } });
    const auth = setup('server', [{ provide: REQUEST, useValue: request }]);
    await auth.start();
    expect(auth.user()?.sub).toBe('u1');
    expect(TestBed.inject(TransferState).get(stateKey, null)?.user.sub).toBe('u1');
  });

  it('rendered signed out, asks once more (a cross-site navigation does not send the Strict cookie)', async () => {
    answer(200, session);
    const auth = setup('browser', [], null);
    await auth.start();
    for (let i = 0; i < 20 && !auth.isAuthenticated(); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(calls.map((c) => c.url)).toEqual(['/bff/user']);
    expect(auth.user()?.sub).toBe('u1');
  });

  it('in the browser, takes the state the server rendered with, without a request', async () => {
    answer(500, {});
    const auth = setup('browser', [], session);
    await auth.start();
    expect(auth.user()?.sub).toBe('u1');
    expect(calls).toEqual([]);
  });

  it('logout posts to /bff/logout with the CSRF header and signs out', async () => {
    answer(200, session);
    const auth = setup('browser');
    await auth.start();
    answer(200, { endSessionUrl: null });
    await auth.logout();
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual([
      'GET /bff/user',
      'POST /bff/logout',
    ]);
    expect(new Headers(calls[1].init?.headers).get('x-bff-csrf')).toBe('1');
    expect(auth.isAuthenticated()).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['signed-in', 'signed-out']);
  });

  it('a 401 reported by the interceptor ends the session once', async () => {
    answer(200, session);
    const auth = setup('browser');
    await auth.start();
    auth.sessionEnded('401 from /bff/api/orders');
    auth.sessionEnded('401 from /bff/api/orders');
    expect(auth.isAuthenticated()).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['signed-in', 'session-ended']);
  });
});
