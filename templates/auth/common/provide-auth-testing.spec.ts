import { Component, EnvironmentProviders, Provider, computed, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';
import { AuthEvent, AuthService } from './auth.service';
import {
  changeDetectionForTests,
  clearAuthStorage,
  configureAuth,
  testAuthConfig,
} from './auth.testing';
import { e2eSession } from './e2e-session';
import { AuthTestingController, provideAuthTesting } from './provide-auth-testing';
import { storageKey } from './session-store';

/** A component as an app has them: a greeting when signed in, a sign-in button otherwise. */
@Component({
  selector: 'app-greeting',
  template: `@if (auth.isAuthenticated()) {
      <p>Hello {{ name() }}</p>
    } @else {
      <button type="button" (click)="auth.login()">Sign in</button>
    }`,
})
class Greeting {
  protected readonly auth = inject(AuthService);
  protected readonly name = computed(() => {
    const payload = this.auth.idToken()?.split('.')[1] ?? '';
    const claims = payload ? JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) : {};
    return String(claims.name ?? '');
  });
}

describe('provideAuthTesting (the kit for your own specs)', () => {
  function setup(providers: (Provider | EnvironmentProviders)[]): void {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [...changeDetectionForTests(), ...providers] });
  }

  afterEach(() => {
    TestBed.resetTestingModule();
    clearAuthStorage();
  });

  it('gives a component a signed-in AuthService with the chosen claims, switchable during the test', async () => {
    setup([provideAuthTesting({ claims: { sub: 'u1', name: 'Ada' } })]);
    const fixture = TestBed.createComponent(Greeting);
    await fixture.whenStable();
    fixture.detectChanges();
    expect(fixture.nativeElement.textContent).toContain('Hello Ada');

    const controller = TestBed.inject(AuthTestingController);
    const events: AuthEvent[] = [];
    TestBed.inject(AuthService).events.subscribe((e) => events.push(e));
    controller.signOut();
    fixture.detectChanges();
    await fixture.whenStable();
    const button: HTMLButtonElement = fixture.nativeElement.querySelector('button');
    expect(button.textContent).toContain('Sign in');
    button.click();
    expect(controller.logins).toEqual(['']);

    controller.signIn({ claims: { name: 'Grace' } });
    fixture.detectChanges();
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toContain('Hello Grace');
    controller.endSession();
    expect(events.map((e) => e.type)).toEqual(['signed-out', 'signed-in', 'session-ended']);
  });

  it('signed out on request; logout() and renewToken() are counted, never sent', async () => {
    setup([provideAuthTesting({ signedIn: false })]);
    const auth = TestBed.inject(AuthService);
    const controller = TestBed.inject(AuthTestingController);
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.accessToken()).toBeNull();
    controller.signIn({ accessToken: 'at-1', expiresInSeconds: 60 });
    expect(await auth.validAccessToken()).toBe('at-1');
    expect(auth.expiresAt()).toBeGreaterThan(Date.now() + 59_000);
    await auth.renewToken();
    await auth.logout();
    expect([controller.renewals, controller.logouts]).toEqual([1, 1]);
    expect(auth.isAuthenticated()).toBe(false);
  });

  it('the interceptor sends the chosen token to secureRoutes', async () => {
    setup([
      provideAuthTesting({
        accessToken: 'kit-token',
        config: { secureRoutes: ['https://api.example.com'] },
      }),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
    ]);
    const done = firstValueFrom(TestBed.inject(HttpClient).get('https://api.example.com/orders'));
    const request = TestBed.inject(HttpTestingController).expectOne(
      'https://api.example.com/orders',
    );
    expect(request.request.headers.get('Authorization')).toBe('Bearer kit-token');
    request.flush([]);
    await done;
  });

  it('e2eSession writes the session the generated code restores, under its key', async () => {
    const config = testAuthConfig({ authority: 'https://kit-spec.example.com' });
    const entry = e2eSession(config, {
      claims: { sub: 'e2e', name: 'Ada' },
      accessToken: 'e2e-at',
    });
    expect(entry.storage).toBe('sessionStorage');
    expect(entry.key).toBe(storageKey('session', config));
    expect(e2eSession({ ...config, storage: 'local' }).storage).toBe('localStorage');
    expect(() => e2eSession({ ...config, storage: 'memory' })).toThrowError(/memory/);
    sessionStorage.setItem(entry.key, entry.value);
    configureAuth(config);
    const auth = TestBed.inject(AuthService);
    await auth.handleAuthentication();
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.accessToken()).toBe('e2e-at');
    expect(auth.idToken()).toContain('.');
  });
});
