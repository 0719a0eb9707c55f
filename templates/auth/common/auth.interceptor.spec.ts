import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { authInterceptor } from './auth.interceptor';
import { clearAuthStorage, configureAuth, signIn, testAuthConfig } from './auth.testing';

const config = testAuthConfig({ secureRoutes: ['https://api.example.com/', '/api/'] });

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    configureAuth(
      config,
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
    );
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
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
  });

  it('sends no token when signed out', () => {
    expect(authorization('https://api.example.com/orders')).toBeNull();
  });
});
