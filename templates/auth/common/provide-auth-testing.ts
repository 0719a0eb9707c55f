import {
  EnvironmentProviders,
  Injectable,
  InjectionToken,
  Signal,
  computed,
  inject,
  makeEnvironmentProviders,
  signal,
} from '@angular/core';
import { Observable, Subject } from 'rxjs';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AuthService, type AuthEvent } from './auth.service';
import { unsignedJwt } from './e2e-session';

// The test kit for your own component and service specs: `provideAuthTesting()` replaces
// AuthService with one that is signed in (or not) with the claims and token you choose, makes no
// request and runs no timer; AuthTestingController changes it during a test. Written without
// --skip-tests; no test-runner globals, so it works under Vitest (globals on or off) and Karma.

export interface AuthTestingOptions {
  /** Signed in at the start (default: true). */
  signedIn?: boolean;
  /** The claims of the id_token (default: `{ sub: 'test-user' }`). */
  claims?: Record<string, unknown>;
  /** Default: 'test-access-token'. */
  accessToken?: string;
  /** How long the access token lives from now (default: 3600). */
  expiresInSeconds?: number;
  /** Overrides of the AUTH_CONFIG provided (secureRoutes for the interceptor, say). */
  config?: Partial<AuthConfig>;
}

type SignInOptions = Omit<AuthTestingOptions, 'signedIn' | 'config'>;

const AUTH_TESTING_OPTIONS = new InjectionToken<AuthTestingOptions>('AUTH_TESTING_OPTIONS');

interface TestSession {
  accessToken: string;
  idToken: string;
  expiresAt: number;
}

function sessionOf(options: SignInOptions): TestSession {
  return {
    accessToken: options.accessToken ?? 'test-access-token',
    idToken: unsignedJwt(options.claims ?? { sub: 'test-user' }),
    expiresAt: Date.now() + (options.expiresInSeconds ?? 3600) * 1000,
  };
}

/**
 * The generated AuthService's API, which the test service provides. Methods you add to AuthService
 * are not faked (a spec that needs one adds it: `Object.assign(controller.service, { … })`).
 */
type GeneratedApi =
  | 'isAuthenticated'
  | 'accessToken'
  | 'idToken'
  | 'expiresAt'
  | 'sessionEndsAt'
  | 'lastSignInError'
  | 'ready'
  | 'events'
  | 'login'
  | 'handleAuthentication'
  | 'whenReady'
  | 'validAccessToken'
  | 'renewToken'
  | 'scheduleRenewal'
  | 'unscheduleRenewal'
  | 'logout';

/** AuthService as the app sees it, without the network: what the controller sets, it returns. */
class TestAuthService implements Pick<AuthService, GeneratedApi> {
  readonly session = signal<TestSession | null>(null);
  readonly signInError = signal<string | null>(null);
  readonly eventStream = new Subject<AuthEvent>();
  /** The returnUrl of each login() call ('' when none was given). */
  readonly logins: string[] = [];
  logouts = 0;
  renewals = 0;

  readonly isAuthenticated: Signal<boolean> = computed(() => this.session() !== null);
  readonly accessToken: Signal<string | null> = computed(() => this.session()?.accessToken ?? null);
  readonly idToken: Signal<string | null> = computed(() => this.session()?.idToken ?? null);
  readonly expiresAt: Signal<number | null> = computed(() => this.session()?.expiresAt ?? null);
  readonly sessionEndsAt: Signal<number | null> = signal(null);
  readonly lastSignInError: Signal<string | null> = this.signInError.asReadonly();
  readonly events: Observable<AuthEvent> = this.eventStream.asObservable();
  /** Started at once: nothing to restore. */
  readonly ready: Signal<boolean> = signal(true);

  async whenReady(): Promise<void> {
    return;
  }

  async login(returnUrl?: string): Promise<void> {
    this.logins.push(returnUrl ?? '');
  }

  async handleAuthentication(): Promise<void> {
    return;
  }

  async validAccessToken(): Promise<string | null> {
    return this.accessToken();
  }

  async renewToken(): Promise<void> {
    const current = this.session();
    if (!current) return;
    this.renewals++;
    this.session.set({ ...current, expiresAt: Date.now() + 3600_000 });
    this.eventStream.next({ type: 'renewed' });
  }

  scheduleRenewal(): void {
    return;
  }

  unscheduleRenewal(): void {
    return;
  }

  async logout(): Promise<void> {
    this.logouts++;
    this.session.set(null);
    this.eventStream.next({ type: 'signed-out' });
  }
}

/** Changes the test AuthService during a test, and tells what the code under test asked of it. */
@Injectable()
export class AuthTestingController {
  /** The AuthService the app gets under provideAuthTesting(). */
  readonly service = new TestAuthService();

  constructor() {
    const options = inject(AUTH_TESTING_OPTIONS);
    if (options.signedIn ?? true) this.service.session.set(sessionOf(options));
  }

  /** Signs in (a `signed-in` event), with other claims or token if given. */
  signIn(options: SignInOptions = {}): void {
    this.service.session.set(sessionOf(options));
    this.service.signInError.set(null);
    this.service.eventStream.next({ type: 'signed-in' });
  }

  /** Signs out, as logout() or another tab would (a `signed-out` event). */
  signOut(): void {
    this.service.session.set(null);
    this.service.eventStream.next({ type: 'signed-out' });
  }

  /** The provider ended the session (a `session-ended` event with `error`). */
  endSession(error = 'login_required: the session ended at the provider'): void {
    this.service.session.set(null);
    this.service.eventStream.next({ type: 'session-ended', error });
  }

  /** A failed sign-in callback (`lastSignInError()` and a `sign-in-failed` event). */
  failSignIn(error = 'access_denied: the user cancelled'): void {
    this.service.signInError.set(error);
    this.service.eventStream.next({ type: 'sign-in-failed', error });
  }

  /** Emits any AuthEvent (`warning`, `renew-failed`, ...). */
  emit(event: AuthEvent): void {
    this.service.eventStream.next(event);
  }

  /** The returnUrl of each login() call the code under test made ('' when none was given). */
  get logins(): readonly string[] {
    return this.service.logins;
  }

  /** How often logout() and renewToken() were called. */
  get logouts(): number {
    return this.service.logouts;
  }

  get renewals(): number {
    return this.service.renewals;
  }
}

/**
 * For component and service specs: an AuthService signed in (default) or signed out, with the
 * claims and access token given, and an AuthTestingController to change it. No request, no timer.
 *
 *   TestBed.configureTestingModule({ providers: [provideAuthTesting({ claims: { name: 'Ada' } })] });
 */
export function provideAuthTesting(options: AuthTestingOptions = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: AUTH_CONFIG,
      useValue: {
        authority: 'https://id.example.com',
        clientId: 'test-client',
        scope: 'openid',
        renewBeforeSeconds: 30,
        storage: 'memory',
        secureRoutes: [],
        ...options.config,
      } satisfies AuthConfig,
    },
    { provide: AUTH_TESTING_OPTIONS, useValue: options },
    AuthTestingController,
    { provide: AuthService, useFactory: () => inject(AuthTestingController).service },
  ]);
}
