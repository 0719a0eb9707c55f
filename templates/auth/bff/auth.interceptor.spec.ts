import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AUTH_CONFIG } from './auth-config';
import { authInterceptor, isBffCall } from './auth.interceptor';
import { AuthService } from './auth.service';

describe('authInterceptor (backend for frontend)', () => {
  let ended: string[];
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    ended = [];
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: AUTH_CONFIG, useValue: { bffPath: '/bff' } },
        {
          provide: AuthService,
          useValue: { sessionEnded: (reason: string) => ended.push(reason) },
        },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('matches the BFF by exact origin and whole path segments', () => {
    const base = 'https://app.example.com/';
    expect(isBffCall('/bff/api/orders', '/bff', base)).toBe(true);
    expect(isBffCall('https://app.example.com/bff/user', '/bff', base)).toBe(true);
    expect(isBffCall('/bffx/api', '/bff', base)).toBe(false);
    expect(isBffCall('https://evil.example/bff/api/orders', '/bff', base)).toBe(false);
    expect(isBffCall('https://app.example.com.evil.example/bff/api', '/bff', base)).toBe(false);
  });

  it('adds the CSRF header to calls to the BFF, and to nothing else', () => {
    http.get('/bff/api/orders').subscribe();
    http.get('https://api.example.com/orders').subscribe();
    expect(backend.expectOne('/bff/api/orders').request.headers.get('x-bff-csrf')).toBe('1');
    const other = backend.expectOne('https://api.example.com/orders');
    expect(other.request.headers.has('x-bff-csrf')).toBe(false);
    expect(other.request.headers.has('authorization')).toBe(false);
  });

  it('reports a 401 of the BFF as the end of the session', () => {
    http.get('/bff/api/orders').subscribe({ error: () => undefined });
    backend
      .expectOne('/bff/api/orders')
      .flush({ error: 'session_ended' }, { status: 401, statusText: 'Unauthorized' });
    expect(ended).toEqual(['401 from /bff/api/orders']);
  });
});
