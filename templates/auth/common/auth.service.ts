import {
  DestroyRef,
  Injectable,
  InjectionToken,
  NgZone,
  PLATFORM_ID,
  Signal,
  computed,
  inject,
  signal,
} from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { Observable, Subject } from 'rxjs';
import type { OidcContext, TokenSet } from './oidc';
import type { renewTokens } from './renew';
import { AUTH_CONFIG } from './provide-auth';
import { RenewalScheduler } from './renewal-scheduler';
import { SessionStore } from './session-store';

// The protocol code (./oidc, ./authorize, ./renew and oauth4webapi) is imported dynamically: it loads
// on first use (sign-in, callback, renewal), outside the initial bundle. Types are imported statically.

export interface AuthEvent {
  type: 'signed-in' | 'renewed' | 'renew-failed' | 'signed-out' | 'session-ended';
  error?: string;
}

/** How tokens are renewed: `renewTokens` from ./renew unless replaced (in tests, for example). */
export const TOKEN_RENEWAL = new InjectionToken<typeof renewTokens>('TOKEN_RENEWAL', {
  providedIn: 'root',
  factory: () => async (ctx, store, current) =>
    (await import('./renew')).renewTokens(ctx, store, current),
});

/** Errors after which renewing again cannot help: the user must sign in. */
const SESSION_ENDING = [
  'login_required',
  'interaction_required',
  'invalid_grant',
  'consent_required',
];
const RETRY_MIN = 2_000;
const RETRY_MAX = 60_000;
/** Parameters of an authorization response, removed from the address bar once handled. */
const RESPONSE_PARAMS = [
  'code',
  'state',
  'session_state',
  'iss',
  'error',
  'error_description',
  'error_uri',
];

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly config = inject(AUTH_CONFIG);
  private readonly store = inject(SessionStore);
  private readonly zone = inject(NgZone);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  private readonly renewTokens = inject(TOKEN_RENEWAL);
  private readonly renewal = new RenewalScheduler();
  private readonly expiry = new RenewalScheduler();
  private readonly tokens = signal<TokenSet | null>(null);
  /** Set when the access token expires before a renewal replaced it. */
  private readonly expired = signal(false);
  private readonly eventStream = new Subject<AuthEvent>();
  private inFlight: Promise<void> | null = null;
  /** Called when another tab changes the stored session (storage: 'local'). */
  private otherTabChanged: (() => void) | null = null;
  private failures = 0;

  readonly accessToken: Signal<string | null> = computed(() =>
    this.expired() ? null : (this.tokens()?.accessToken ?? null),
  );
  readonly isAuthenticated: Signal<boolean> = computed(() => this.accessToken() !== null);
  readonly idToken: Signal<string | null> = computed(() => this.tokens()?.idToken ?? null);
  readonly expiresAt: Signal<number | null> = computed(() => this.tokens()?.expiresAt ?? null);
  readonly events: Observable<AuthEvent> = this.eventStream.asObservable();

  constructor() {
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => {
      this.renewal.cancel();
      this.expiry.cancel();
    });
    // With storage 'local' all tabs share one session: follow what the other tabs write. 'storage'
    // events fire only in the OTHER tabs of the origin, never in the tab that wrote. No
    // BroadcastChannel is needed; sessionStorage and memory are per tab, so there is nothing to share.
    if (this.browser && this.config.storage === 'local') {
      const onStorage = (event: StorageEvent) => {
        if (!this.store.isSessionChange(event)) return;
        this.zone.run(() => this.followOtherTab());
        this.otherTabChanged?.();
      };
      // Outside the Angular zone: changes to other keys must not trigger change detection.
      this.runOutside(() => window.addEventListener('storage', onStorage));
      destroyRef.onDestroy(() => window.removeEventListener('storage', onStorage));
    }
  }

  /**
   * Redirects to the provider; back on redirectUri, handleAuthentication() completes the sign-in
   * and restores `returnUrl` (default: the current in-app URL).
   */
  async login(returnUrl?: string): Promise<void> {
    if (!this.browser) return;
    const [ctx, { createAuthorizationUrl }] = await Promise.all([
      this.context(),
      import('./authorize'),
    ]);
    this.store.saveReturnUrl(returnUrl ?? location.pathname + location.search + location.hash);
    location.assign((await createAuthorizationUrl(ctx, ctx.config.redirectUri, this.store)).href);
  }

  /**
   * Completes a sign-in callback on redirectUri, or else restores the stored session (renewing it
   * first if its access token expired meanwhile).
   */
  async handleAuthentication(): Promise<void> {
    if (!this.browser) return;
    const url = new URL(location.href);
    // A cheap test first, so that the protocol code is loaded only for what may be a callback.
    const maybeCallback = /[?#&]state=/.test(url.search + url.hash) && this.isRedirectUri(url);
    const authorize = maybeCallback ? await import('./authorize') : null;
    if (!authorize?.isAuthorizationResponse(url)) {
      const stored = this.store.load();
      if (stored && stored.expiresAt > Date.now()) this.setTokens(stored);
      else if (stored) await this.renewExpired(stored);
      return;
    }
    // The code (or, in the implicit flow, the tokens) must not stay in the address bar or history.
    history.replaceState(history.state, '', withoutResponse(url));
    const returnUrl = this.store.takeReturnUrl();
    const ctx = await this.context();
    this.setTokens(
      await authorize.completeAuthorization(ctx, ctx.config.redirectUri, this.store, url),
    );
    if (returnUrl?.startsWith('/') && !returnUrl.startsWith('//'))
      history.replaceState(history.state, '', returnUrl);
    this.emit({ type: 'signed-in' });
  }

  /** Renews now. Concurrent calls share one renewal. Rejects with an OidcError when it fails. */
  renewToken(): Promise<void> {
    this.inFlight ??= this.renew().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Arms renewal at expiresAt - renewBeforeSeconds (wall clock). */
  scheduleRenewal(): void {
    const tokens = this.tokens();
    if (!tokens || !this.browser) return;
    this.armRenewal(tokens.expiresAt - this.config.renewBeforeSeconds * 1000);
    import('./renew').catch(() => undefined); // prefetch, so that the renewal itself does not wait for it
  }

  unscheduleRenewal(): void {
    this.renewal.cancel();
  }

  /** Revokes the tokens where the provider can, clears the session, then ends it at the provider. */
  async logout(): Promise<void> {
    const tokens = this.tokens();
    let ctx: OidcContext | null = null;
    if (this.browser) ctx = await this.context().catch(() => null);
    if (ctx && tokens) await (await import('./oidc')).revokeTokens(ctx, tokens);
    this.clear();
    this.emit({ type: 'signed-out' });
    const endSession = ctx?.as.end_session_endpoint;
    if (!ctx || !endSession) return;
    const url = new URL(endSession);
    if (tokens?.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
    url.searchParams.set('post_logout_redirect_uri', ctx.config.postLogoutRedirectUri);
    url.searchParams.set('client_id', ctx.client.client_id);
    location.assign(url.href);
  }

  /**
   * The access token expired while the app was closed or its tab asleep, but the refresh token or
   * the provider session may outlive it: renew once before giving up. The expired token is never
   * handed out meanwhile; a failed renewal ends the session with a `session-ended` event.
   */
  private async renewExpired(stored: TokenSet): Promise<void> {
    this.tokens.set(stored);
    this.expired.set(true);
    await this.renewToken().catch(() => undefined);
  }

  private async context(): Promise<OidcContext> {
    return (await import('./oidc')).discover(this.config);
  }

  private async renew(): Promise<void> {
    const current = this.tokens();
    if (!current) {
      const { OidcError } = await import('./oidc');
      throw new OidcError('login_required', 'login_required: not signed in');
    }
    this.renewal.cancel();
    try {
      const next = await this.exclusively(async (waited) => {
        // Tabs sharing a session (storage: 'local') renew one at a time: a tab that waited adopts
        // the tokens the other one got, so a rotated refresh token is never used twice.
        let stored = this.store.load();
        if (
          waited &&
          this.tokens() === current &&
          !(stored && stored.expiresAt > current.expiresAt)
        ) {
          // Locks and storage are not ordered across tabs: the other tab's write may reach this
          // one (with its 'storage' event) just after the lock. Give it a moment before renewing.
          await this.nextOtherTabChange(1_000);
          stored = this.store.load();
        }
        if (stored && stored.expiresAt > current.expiresAt) return stored;
        // Signed out, or another tab's tokens adopted, while waiting: dropped below, no request.
        if (this.tokens() !== current) return current;
        const renewed = await this.renewTokens(await this.context(), this.store, current);
        if (this.tokens() === current) this.store.save(renewed);
        return renewed;
      });
      if (this.tokens() !== current) return; // signed out meanwhile
      this.failures = 0;
      this.setTokens(next);
      this.emit({ type: 'renewed' });
      this.armRenewalFor(next);
    } catch (error) {
      if (this.tokens() !== current) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (SESSION_ENDING.includes(codeOf(error)) || Date.now() >= current.expiresAt) {
        this.endSession(message);
      } else {
        this.emit({ type: 'renew-failed', error: message });
        this.failures++;
        this.armRenewal(Date.now() + Math.min(RETRY_MIN * 2 ** (this.failures - 1), RETRY_MAX));
      }
      throw error;
    }
  }

  /**
   * With storage 'local' (one session for all tabs), runs `task` under a Web Lock shared by the
   * tabs; `waited` tells it that another tab held the lock first.
   */
  private async exclusively<T>(task: (waited: boolean) => Promise<T>): Promise<T> {
    const locks =
      this.config.storage === 'local' && typeof navigator !== 'undefined'
        ? navigator.locks
        : undefined;
    if (!locks) return task(false);
    const name = `auth.renew:${this.config.clientId}`;
    const now = (await locks.request(name, { ifAvailable: true }, async (lock) =>
      lock ? { result: await task(false) } : null,
    )) as { result: T } | null;
    return now ? now.result : ((await locks.request(name, () => task(true))) as T);
  }

  /** Resolves when another tab next changes the stored session, or after `ms`. */
  private nextOtherTabChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.otherTabChanged = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.otherTabChanged = done;
    });
  }

  /**
   * Another tab wrote or removed the session (storage: 'local'); storage already holds its value,
   * so nothing is written back. A renewal in flight here is not clobbered: it compares tokens()
   * with the tokens it started from, so once they are replaced (or cleared) here it neither saves
   * nor reports its own result, and a renewal waiting for the Web Lock adopts the stored tokens
   * instead of sending a request.
   */
  private followOtherTab(): void {
    const next = this.store.load();
    const current = this.tokens();
    if (!next) {
      if (!current) return;
      this.clear(false); // logout or session end in another tab: no revocation, no redirect here
      this.emit({ type: 'signed-out' });
      return;
    }
    // Only newer tokens than ours (the rule the Web Lock adoption follows), and never expired ones.
    if (next.expiresAt <= Math.max(current?.expiresAt ?? 0, Date.now())) return;
    this.failures = 0;
    this.setTokens(next, false);
    this.emit({ type: current ? 'renewed' : 'signed-in' });
    this.armRenewalFor(next);
  }

  private setTokens(tokens: TokenSet, save = true): void {
    this.tokens.set(tokens);
    this.expired.set(false);
    if (save) this.store.save(tokens);
    if (this.browser)
      this.runOutside(() =>
        this.expiry.schedule(tokens.expiresAt, () => this.zone.run(() => this.onExpiry())),
      );
  }

  private onExpiry(): void {
    this.expired.set(true); // never hand out the expired token, even while a renewal runs
    if (this.inFlight) return; // the running renewal decides
    // A tab that slept through its renewal still renews: the refresh token or the provider session
    // may outlive the access token. The session ends if that renewal fails.
    if (this.renewal.scheduledAt !== null) this.renewToken().catch(() => undefined);
    else this.endSession('expired: the access token expired and no renewal was scheduled');
  }

  private armRenewal(at: number): void {
    if (!this.browser) return;
    // Outside the Angular zone, so a pending timer does not keep a zone-based app unstable.
    this.runOutside(() =>
      this.renewal.schedule(at, () =>
        this.zone.run(() => void this.renewToken().catch(() => undefined)),
      ),
    );
  }

  /** Arms renewal at expiresAt - renewBeforeSeconds of `tokens`. */
  private armRenewalFor(tokens: TokenSet): void {
    // A lifetime shorter than renewBeforeSeconds would renew in a loop: renew half-way instead.
    const due = tokens.expiresAt - this.config.renewBeforeSeconds * 1000;
    this.armRenewal(due > Date.now() ? due : (Date.now() + tokens.expiresAt) / 2);
  }

  private endSession(error: string): void {
    this.clear();
    this.emit({ type: 'session-ended', error });
  }

  private clear(save = true): void {
    this.renewal.cancel();
    this.expiry.cancel();
    this.failures = 0;
    this.tokens.set(null);
    this.expired.set(false);
    if (save) this.store.save(null);
  }

  private emit(event: AuthEvent): void {
    this.eventStream.next(event);
  }

  private runOutside(fn: () => void): void {
    this.zone.runOutsideAngular(fn);
  }

  private isRedirectUri(url: URL): boolean {
    const redirect = new URL(this.config.redirectUri ?? '/', location.origin);
    return url.origin === redirect.origin && url.pathname === redirect.pathname;
  }
}

/** The OAuth error code of a failure (OidcError.code); 'network' for a fetch or chunk-load failure. */
function codeOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof TypeError ? 'network' : 'unknown';
}

function withoutResponse(url: URL): string {
  const clean = new URL(url);
  for (const name of RESPONSE_PARAMS) clean.searchParams.delete(name);
  if (/(^|&)(state|access_token|id_token|error)=/.test(clean.hash.slice(1))) clean.hash = '';
  return clean.pathname + clean.search + clean.hash;
}
