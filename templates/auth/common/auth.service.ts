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
import { AUTH_CONFIG } from './auth-config';
import { RenewalScheduler } from './renewal-scheduler';
import { SessionStore } from './session-store';
import { TabSync } from './tab-sync';

// The protocol code (./oidc, ./authorize, ./renew and oauth4webapi) is imported dynamically: it loads
// on first use (sign-in, callback, renewal), outside the initial bundle. Types are imported statically.

export interface AuthEvent {
  type:
    | 'signed-in'
    | 'sign-in-failed'
    | 'renewed'
    | 'renew-failed'
    | 'signed-out'
    | 'session-ended'
    | 'warning';
  /** What went wrong, starting with its code: `timeout: ...`, `invalid_grant: ...`. */
  error?: string;
}

/**
 * What the service needs from ./tab-sync, the variant for the configured storage: how tabs follow
 * each other and take turns. A variant leaves out the parameters it has no use for.
 */
interface TabCoordination {
  /** In the browser: calls `onChange` whenever another tab writes or removes the session. */
  start(onChange: () => void, destroyRef: DestroyRef): void;
  /** The tokens this tab may use; `fresh`: tokens this tab was just issued. */
  claim(tokens: TokenSet | null, fresh?: boolean): Promise<TokenSet | null>;
  /** Runs `task` under the lock the tabs share, waiting at most `deadlineMs` for it. */
  exclusively<T>(task: (waited: boolean) => Promise<T>, deadlineMs: number): Promise<T>;
  /** Resolves when another tab next changes the stored session, or after `ms`. */
  nextChange(ms: number): Promise<void>;
}

/** How tokens are renewed: `renewTokens` from ./renew unless replaced (in tests, for example). */
export const TOKEN_RENEWAL = new InjectionToken<typeof renewTokens>('TOKEN_RENEWAL', {
  providedIn: 'root',
  factory: () => async (ctx, store, current) =>
    (await import('./renew')).renewTokens(ctx, store, current),
});

/**
 * The provider's answers after which renewing again cannot help: the user must sign in. Anything
 * else (network errors, timeouts, 5xx) is retried: only the provider ends a session.
 */
const SESSION_ENDING = [
  'login_required',
  'interaction_required',
  'invalid_grant',
  'consent_required',
  'user_changed',
  'session_limit',
];
/** Retries back off from RETRY_MIN to RETRY_MAX; a wake-up retries at most once per RETRY_MIN. */
const RETRY_MIN = 2_000;
const RETRY_MAX = 60_000;
/** Renewals are never scheduled closer together than this, whatever the token lifetime. */
const MIN_INTERVAL = 5_000;
/** The `warning` before a session's fixed end comes this long before it, unless configured. */
const SESSION_WARNING_SECONDS = 300;
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly config = inject(AUTH_CONFIG);
  private readonly store = inject(SessionStore);
  private readonly tabs: TabCoordination = inject(TabSync);
  private readonly zone = inject(NgZone);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  private readonly renewTokens = inject(TOKEN_RENEWAL);
  private readonly renewal = new RenewalScheduler();
  private readonly expiry = new RenewalScheduler();
  private readonly sessionWarning = new RenewalScheduler();
  private readonly tokens = signal<TokenSet | null>(null);
  /** Set once the access token expired before a renewal replaced it. */
  private readonly expired = signal(false);
  private readonly signInError = signal<string | null>(null);
  private readonly eventStream = new Subject<AuthEvent>();
  private inFlight: Promise<void> | null = null;
  /** Start-up (a sign-in callback, or the stored session), run once: see whenReady(). */
  private startup: Promise<void> | null = null;
  private readonly started = signal(false);
  /** Renew on schedule (scheduleRenewal) rather than only when asked. */
  private autoRenew = false;
  private failures = 0;
  private lastAttempt = 0;
  private lastRenewed = 0;
  private warnedLifetime = false;
  /** Set once this sign-in's `warning` about the session's end was emitted. */
  private warnedSessionEnd = false;
  /** With DPoP: the deletion of the ended session's key pair. */
  private forgetting: Promise<void> | undefined;

  /**
   * The access token, or null once it expired: compared with the clock on every read, so a page
   * that wakes from sleep never hands out an expired token, whichever of its timers runs first.
   * Reactive like a signal (it reads signals); only the clock check is outside the graph.
   */
  readonly accessToken = (() => this.validTokens()?.accessToken ?? null) as Signal<string | null>;
  readonly isAuthenticated = (() => this.validTokens() !== null) as Signal<boolean>;
  readonly idToken: Signal<string | null> = computed(() => this.tokens()?.idToken ?? null);
  readonly expiresAt: Signal<number | null> = computed(() => this.tokens()?.expiresAt ?? null);
  /** Epoch ms after which the session cannot be renewed (see `sessionLifetimeSeconds`), or null. */
  readonly sessionEndsAt: Signal<number | null> = computed(
    () => this.tokens()?.sessionEndsAt ?? null,
  );
  /** Why the sign-in callback of this page load failed, or null. */
  readonly lastSignInError: Signal<string | null> = this.signInError.asReadonly();
  /** True once start-up (the sign-in callback, or the stored session) is done; always on the server. */
  readonly ready: Signal<boolean> = computed(() => !this.browser || this.started());
  readonly events: Observable<AuthEvent> = this.eventStream.asObservable();

  constructor() {
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => {
      this.renewal.cancel();
      this.expiry.cancel();
      this.sessionWarning.cancel();
    });
    if (!this.browser) return;
    this.tabs.start(() => this.followOtherTab(), destroyRef);
    // Back online, or back in front of the user: a renewal that failed is retried now rather
    // than at its next backoff step.
    const wake = () => {
      if (document.visibilityState !== 'hidden') this.zone.run(() => this.retryNow());
    };
    this.runOutside(() => {
      for (const type of ['online', 'focus']) window.addEventListener(type, wake);
      document.addEventListener('visibilitychange', wake);
    });
    destroyRef.onDestroy(() => {
      for (const type of ['online', 'focus']) window.removeEventListener(type, wake);
      document.removeEventListener('visibilitychange', wake);
    });
  }

  /**
   * Redirects to the provider; back on redirectUri, handleAuthentication() completes the sign-in
   * and restores `returnUrl`: an in-app URL relative to the base href (default: the current one).
   */
  async login(returnUrl?: string): Promise<void> {
    if (!this.browser) return;
    const [ctx, { createAuthorizationUrl }, oidc] = await Promise.all([
      this.context(),
      import('./authorize'),
      import('./oidc'),
    ]);
    this.store.saveReturnUrl(returnUrl ?? oidc.inAppUrl());
    location.assign((await createAuthorizationUrl(ctx, ctx.config.redirectUri, this.store)).href);
  }

  /**
   * Completes a sign-in callback on redirectUri, then (or when there is none, or it fails)
   * restores the stored session, renewing it first if its access token expired meanwhile. A
   * failed callback is a `sign-in-failed` event, never an exception.
   */
  async handleAuthentication(): Promise<void> {
    if (!this.browser) return;
    const url = new URL(location.href);
    // A cheap test first, so that the protocol code is loaded only for what may be a callback
    // (or the provider's redirect back after logout, which carries the `state` sent).
    const maybeCallback = /[?#&]state=/.test(url.search + url.hash) && this.isRedirectUri(url);
    const [authorize, oidc] = maybeCallback
      ? await Promise.all([import('./authorize'), import('./oidc')])
      : [null, null];
    if (oidc?.isLogoutReturn(url, this.store)) oidc.replaceUrl(oidc.withoutState(url));
    if (oidc && authorize?.isAuthorizationResponse(url)) {
      // The code (or, in the implicit flow, the tokens) must not stay in the address bar or history.
      oidc.replaceUrl(oidc.withoutResponse(url));
      const returnUrl = this.store.takeReturnUrl();
      try {
        const ctx = await this.context();
        const tokens = await authorize.completeAuthorization(
          ctx,
          ctx.config.redirectUri,
          this.store,
          url,
        );
        this.failures = 0;
        this.warnedSessionEnd = false;
        this.setTokens((await this.tabs.claim(this.withSessionLimit(tokens), true))!);
        this.emit({ type: 'signed-in' });
        if (returnUrl) oidc.restoreInAppUrl(returnUrl);
        return;
      } catch (error) {
        const message = oidc.toOidcError(error).message;
        this.signInError.set(message);
        this.emit({ type: 'sign-in-failed', error: message });
      }
    }
    const stored = await this.tabs.claim(this.store.load());
    if (!stored) return;
    if (stored.expiresAt > Date.now()) {
      this.setTokens(stored, false);
      return;
    }
    // The access token expired while the app was closed or its tab asleep, but the refresh token
    // or the provider session may outlive it: renew before giving up. The expired token is never
    // handed out meanwhile.
    this.tokens.set(stored);
    this.expired.set(true);
    await this.renewToken().catch(() => undefined);
  }

  /**
   * Resolves once start-up is done: the sign-in callback completed, or the stored session
   * restored (renewed first if it expired). Runs handleAuthentication() once, started by
   * provideAuth's initializer or by whoever asks first: a router's blocking initial navigation runs
   * guards before that initializer, and they must not see a signed-out user meanwhile. Never rejects.
   */
  whenReady(): Promise<void> {
    if (!this.browser) return Promise.resolve();
    this.startup ??= this.handleAuthentication()
      .catch((error: unknown) => console.error('Sign-in could not be completed:', error))
      .finally(() => this.started.set(true));
    return this.startup;
  }

  /**
   * A valid access token: the current one, or, while a session is being renewed (expired, or a
   * frozen page woke up), the renewed one. Null when signed out or the renewal failed.
   */
  async validAccessToken(): Promise<string | null> {
    const token = this.accessToken();
    if (token || !this.tokens()) return token;
    // One renewal for any number of callers. After a failure, the retry is started early, but
    // never sooner than RETRY_MIN after the last attempt: callers wait for that moment.
    const wait = this.lastAttempt + RETRY_MIN - Date.now();
    if (!this.inFlight && this.failures > 0 && wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      const renewed = this.accessToken(); // by the scheduled retry, or another caller
      if (renewed || !this.tokens()) return renewed;
    }
    await this.renewToken().catch(() => undefined);
    return this.accessToken();
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
    this.autoRenew = true;
    if (this.failures === 0 && !this.inFlight) this.armRenewalFor(tokens);
    import('./renew').catch(() => undefined); // prefetch, so that the renewal itself does not wait for it
  }

  unscheduleRenewal(): void {
    this.autoRenew = false;
    this.renewal.cancel();
  }

  /**
   * Revokes the tokens where the provider can (best effort, short deadline), clears the session
   * (for every tab, with storage 'local'), then ends the session at the provider.
   */
  async logout(): Promise<void> {
    const tokens = this.tokens();
    const ctx = this.browser ? await this.context().catch(() => null) : null;
    const oidc = ctx ? await import('./oidc') : null;
    const revocation = oidc && ctx && tokens ? await oidc.revokeTokens(ctx, tokens) : null;
    // Under the renewal lock: a renewal another tab is saving cannot bring the session back.
    await this.tabs
      .exclusively(async () => this.clear(), this.deadline())
      .catch(() => this.clear());
    if (revocation) console.warn(`Sign-out: ${revocation}`);
    this.emit({ type: 'signed-out', ...(revocation ? { error: revocation } : {}) });
    await this.forgetting;
    const endSession = oidc && ctx && oidc.endSessionUrl(ctx, tokens, this.store);
    if (endSession) location.assign(endSession);
  }

  private validTokens(): TokenSet | null {
    const tokens = this.tokens();
    if (!tokens || this.expired()) return null;
    if (Date.now() < tokens.expiresAt) return tokens;
    // The expiry timer has not run yet (the page was frozen or asleep): let it run now.
    queueMicrotask(() => this.zone.run(() => this.onExpiry()));
    return null;
  }

  private async context(): Promise<OidcContext> {
    return (await import('./oidc')).discover(this.config);
  }

  private async renew(): Promise<void> {
    const current = this.tokens();
    const oidc = await import('./oidc');
    if (!current) throw new oidc.OidcError('login_required', 'login_required: not signed in');
    this.renewal.cancel();
    this.lastAttempt = Date.now();
    try {
      if (current.sessionEndsAt !== undefined && current.sessionEndsAt <= Date.now()) {
        // The refresh token ended at its fixed time: no request, the user must sign in again.
        throw new oidc.OidcError(
          'session_limit',
          `session_limit: the session ended at ${new Date(current.sessionEndsAt).toISOString()}, ` +
            'after which the provider renews no tokens; sign in again',
        );
      }
      const next = await this.tabs.exclusively(async (waited) => {
        // Tabs sharing a session (storage: 'local') renew one at a time: a tab that waited adopts
        // the tokens the other one got, so a rotated refresh token is never used twice.
        let stored = this.store.load();
        if (
          waited &&
          this.tokens() === current &&
          !(stored && stored.expiresAt > current.expiresAt)
        ) {
          await this.tabs.nextChange(1_000);
          stored = this.store.load();
        }
        // Signed out in another tab while this one waited: nothing to renew.
        if (waited && !stored) return null;
        if (stored && stored.expiresAt > current.expiresAt) return stored;
        if (this.tokens() !== current) return current; // signed out here meanwhile: dropped below
        const renewed = this.withSessionLimit(
          await this.renewTokens(await this.context(), this.store, current),
          current,
        );
        oidc.assertSameUser(current, renewed);
        if (this.tokens() === current) this.store.save(renewed);
        return renewed;
      }, this.deadline());
      if (this.tokens() !== current) return;
      if (!next) {
        this.clear(false);
        this.emit({ type: 'signed-out' });
        return;
      }
      this.failures = 0;
      this.lastRenewed = Date.now();
      this.setTokens(next, false);
      this.emit({ type: 'renewed' });
      this.armRenewalFor(next, true);
    } catch (error) {
      if (this.tokens() !== current) throw error;
      const failure = oidc.toOidcError(error);
      if (SESSION_ENDING.includes(failure.code)) {
        this.endSession(failure.message);
      } else {
        // Kept, even past expiry: the refresh token or provider session may still work.
        this.emit({ type: 'renew-failed', error: failure.message });
        this.failures++;
        this.armRenewal(Date.now() + Math.min(RETRY_MIN * 2 ** (this.failures - 1), RETRY_MAX));
      }
      throw failure;
    }
  }

  /**
   * A failed renewal is retried at once when the browser wakes up (online again, tab in front),
   * but never sooner than RETRY_MIN after the last attempt: then at that moment.
   */
  private retryNow(): void {
    const due = this.failures > 0 || (this.tokens() !== null && !this.validTokens());
    if (!due || this.inFlight || !(this.failures > 0 || this.autoRenew)) return;
    const at = this.lastAttempt + RETRY_MIN;
    if (at <= Date.now()) this.renewToken().catch(() => undefined);
    else if ((this.renewal.scheduledAt ?? Infinity) > at) this.armRenewal(at);
  }

  /**
   * Another tab wrote or removed the session (storage: 'local'); storage already holds its value,
   * so nothing is written back. A renewal in flight here is not clobbered: it compares tokens()
   * with the tokens it started from, so once they are replaced (or cleared) here it neither saves
   * nor reports its own result.
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
    this.armSessionWarning(tokens);
  }

  /**
   * `tokens` with the session's fixed end: the one the provider's response gave, else the one of
   * the session renewed (`previous`), else, at sign-in, config.sessionLifetimeSeconds from now.
   */
  private withSessionLimit(tokens: TokenSet, previous?: TokenSet): TokenSet {
    if (tokens.sessionEndsAt !== undefined) return tokens;
    const lifetime = this.config.sessionLifetimeSeconds;
    const end = previous
      ? previous.sessionEndsAt
      : lifetime !== undefined
        ? Date.now() + lifetime * 1000
        : undefined;
    return end === undefined ? tokens : { ...tokens, sessionEndsAt: end };
  }

  /**
   * One `warning` event per sign-in, sessionWarningSeconds before the session's fixed end (at once
   * when that time has passed), so the app can ask the user to sign in again in good time.
   */
  private armSessionWarning(tokens: TokenSet): void {
    const end = tokens.sessionEndsAt;
    if (end === undefined || this.warnedSessionEnd || !this.browser) return;
    const before = (this.config.sessionWarningSeconds ?? SESSION_WARNING_SECONDS) * 1000;
    this.runOutside(() =>
      this.sessionWarning.schedule(end - before, () =>
        this.zone.run(() => {
          const current = this.tokens()?.sessionEndsAt;
          if (current === undefined || this.warnedSessionEnd) return;
          if (current - before > Date.now()) {
            this.armSessionWarning(this.tokens()!); // the end moved later (a sliding limit)
            return;
          }
          this.warnedSessionEnd = true;
          const minutes = Math.max(0, Math.round((current - Date.now()) / 60_000));
          this.emit({
            type: 'warning',
            error:
              `session_limit: the session ends at ${new Date(current).toISOString()} (in ${minutes} min), ` +
              'when the provider stops renewing its tokens; sign in again to continue after that',
          });
        }),
      ),
    );
  }

  private onExpiry(): void {
    const tokens = this.tokens();
    if (!tokens || this.expired() || Date.now() < tokens.expiresAt) return;
    this.expired.set(true); // never hand out the expired token, even while a renewal runs
    this.expiry.cancel();
    // The running renewal, or the retry already scheduled, decides.
    if (this.inFlight || this.failures > 0) return;
    // A tab that slept through its renewal still renews: the refresh token or the provider
    // session may outlive the access token.
    if (this.autoRenew) this.renewToken().catch(() => undefined);
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

  /**
   * Arms renewal at expiresAt - renewBeforeSeconds of `tokens`, never sooner than MIN_INTERVAL
   * after the last renewal. `fresh`: the tokens were issued just now.
   */
  private armRenewalFor(tokens: TokenSet, fresh = false): void {
    const now = Date.now();
    let due = tokens.expiresAt - this.config.renewBeforeSeconds * 1000;
    // Past the session's fixed end nothing can be renewed: the token is used until it expires,
    // then the session ends (onExpiry) without a request the provider would refuse.
    if (tokens.sessionEndsAt !== undefined && Math.max(due, now) >= tokens.sessionEndsAt) {
      this.renewal.cancel();
      return;
    }
    if (due <= now) {
      // A lifetime shorter than renewBeforeSeconds would renew in a loop: renew half-way instead.
      if (fresh && !this.warnedLifetime) {
        this.warnedLifetime = true;
        const lifetime = Math.round((tokens.expiresAt - now) / 1000);
        this.emit({
          type: 'warning',
          error:
            `short_lifetime: the provider's access tokens live ${lifetime} s, less than ` +
            `renewBeforeSeconds (${this.config.renewBeforeSeconds}); renewing half-way instead`,
        });
      }
      due = (now + tokens.expiresAt) / 2;
    }
    this.armRenewal(Math.max(due, this.lastRenewed + MIN_INTERVAL));
  }

  private endSession(error: string): void {
    this.clear();
    this.emit({ type: 'session-ended', error });
  }

  private clear(save = true): void {
    this.renewal.cancel();
    this.expiry.cancel();
    this.sessionWarning.cancel();
    this.failures = 0;
    this.tokens.set(null);
    this.expired.set(false);
    if (!save) return;
    this.store.save(null);
    // With DPoP, the session's key pair goes with it (logout waits for it before it navigates away).
    this.forgetting = this.config.dpop?.().then(
      (dpop) => dpop.forgetKeys(this.config),
      () => undefined,
    );
  }

  /** How long a renewal may wait for another tab's (the lock) and then for the provider. */
  private deadline(): number {
    return ((this.config.requestTimeoutSeconds ?? 10) + 5) * 1000;
  }

  private emit(event: AuthEvent): void {
    this.eventStream.next(event);
  }

  private runOutside(fn: () => void): void {
    this.zone.runOutsideAngular(fn);
  }

  private isRedirectUri(url: URL): boolean {
    const redirect = new URL(this.config.redirectUri ?? '.', document.baseURI);
    return url.origin === redirect.origin && url.pathname === redirect.pathname;
  }
}
