import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { authInterceptor } from './auth.interceptor';
import { AuthService, TOKEN_RENEWAL } from './auth.service';
import {
  GlobalFakes,
  clearAuthStorage,
  configureAuth,
  discoveryDocument,
  jsonResponse,
  signIn,
  storeSession,
  testAuthConfig,
  testTokens,
  waitFor,
} from './auth.testing';

const config = testAuthConfig({
  authority: 'https://interceptor-spec.example.com',
  secureRoutes: ['https://api.example.com', '/api/'],
});

describe('authInterceptor', () => {
  const fakes = new GlobalFakes();
  let http: HttpClient;
  let backend: HttpTestingController;
  let renewals: number;
  let release: () => void;

  beforeEach(() => {
    renewals = 0;
    const released = new Promise<void>((resolve) => (release = resolve));
    fakes.fetch(() => jsonResponse(discoveryDocument(config.authority)));
    configureAuth(
      config,
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      {
        provide: TOKEN_RENEWAL,
        useValue: async () => (renewals++, await released, testTokens({ accessToken: 'renewed' })),
      },
    );
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
  });

  function authorization(url: string): string | null {
    http.get(url).subscribe();
    const request = backend.expectOne(url);
    request.flush({});
    return request.request.headers.get('Authorization');
  }

  it('sends the access token to secure routes only', async () => {
    await signIn();
    expect(authorization('https://api.example.com/orders')).toBe('Bearer at');
    expect(authorization('/api/orders')).toBe('Bearer at');
    expect(authorization('https://other.example.com/orders')).toBeNull();
    expect(authorization('https://api.example.com.evil.com/orders')).toBeNull();
    expect(authorization('https://api.example.com@evil.com/orders')).toBeNull();
    expect(authorization('//evil.com/api/orders')).toBeNull();
  });

  it('holds a secured request made during start-up until the stored session is restored', async () => {
    storeSession(testTokens({ idToken: null, refreshToken: null }), config);
    http.get('https://api.example.com/early').subscribe();
    http.get('/early').subscribe();
    backend.expectOne('/early').flush({}); // not secured: not held
    backend.expectNone('https://api.example.com/early');
    await TestBed.inject(AuthService).whenReady();
    await Promise.resolve();
    const request = backend.expectOne('https://api.example.com/early');
    expect(request.request.headers.get('Authorization')).toBe('Bearer at');
    request.flush({});
  });

  it('holds secured requests while the session renews, then sends them with the renewed token', async () => {
    const auth = await signIn();
    const realNow = Date.now;
    const later = realNow() + 120_000;
    Date.now = () => later; // the page slept past expiry: the token must not be sent
    try {
      for (const url of ['https://api.example.com/a', 'https://api.example.com/b', '/other'])
        http.get(url).subscribe();
      backend.expectOne('/other').flush({}); // not secured: not held
      backend.expectNone((req) => req.url.startsWith('https://api.example.com/'));
      release();
      await waitFor(() => auth.accessToken() === 'renewed');
      await Promise.resolve();
      for (const url of ['https://api.example.com/a', 'https://api.example.com/b']) {
        const request = backend.expectOne(url);
        expect(request.request.headers.get('Authorization')).toBe('Bearer renewed');
        request.flush({});
      }
      expect(renewals).toBe(1);
    } finally {
      Date.now = realNow;
    }
  });
});
