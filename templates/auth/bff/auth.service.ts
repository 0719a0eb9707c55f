import {
  DestroyRef,
  Injectable,
  PLATFORM_ID,
  REQUEST,
  RESPONSE_INIT,
  Signal,
  TransferState,
  computed,
  inject,
  makeStateKey,
  signal,
} from '@angular/core';
import { DOCUMENT, isPlatformBrowser } from '@angular/common';
import { Observable, Subject } from 'rxjs';
import { AUTH_CONFIG, CSRF_HEADER, USER_HEADER } from './auth-config';

/** The signed-in user's claims, as the server hands them out (no token ever). */
export type UserClaims = { sub: string } & Record<string, unknown>;

/** What the server says about the session: who, and until when (epoch ms). */
export interface SessionInfo {
  user: UserClaims;
  expiresAt: number;
}

export interface AuthEvent {
  type: 'signed-in' | 'sign-in-failed' | 'signed-out' | 'session-ended' | 'warning';
  /** What went wrong, starting with its code: `login_expired`, `unavailable: ...`. */
  error?: string;
}

const SESSION_KEY = makeStateKey<SessionInfo | null>('ngx-auth-renew.session');

/**
 * The signed-in user, from the app's server: the tokens never reach the browser. The server's
 * session cookie is HttpOnly, so this service only learns what GET /bff/user (or, when the page
 * was rendered on the server, the request) tells. Sign-in and logout go through the server.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly config = inject(AUTH_CONFIG);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  private readonly document = inject(DOCUMENT);
  private readonly transferState = inject(TransferState);
  private readonly request = inject(REQUEST, { optional: true });
  private readonly responseInit = inject(RESPONSE_INIT, { optional: true });
  private readonly session = signal<SessionInfo | null>(null);
  private readonly signInError = signal<string | null>(null);
  private readonly eventStream = new Subject<AuthEvent>();
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  readonly user: Signal<UserClaims | null> = computed(() => this.session()?.user ?? null);
  readonly isAuthenticated: Signal<boolean> = computed(() => this.session() !== null);
  /** When the server session ends unless the app is used again (epoch ms). */
  readonly expiresAt: Signal<number | null> = computed(() => this.session()?.expiresAt ?? null);
  /** Why the sign-in that led to this page load failed, or null. */
  readonly lastSignInError: Signal<string | null> = this.signInError.asReadonly();
  readonly events: Observable<AuthEvent> = this.eventStream.asObservable();

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.expiryTimer));
  }

  /** Start-up (provideAuth): who is signed in, from the request, the server's state, or GET /bff/user. */
  async start(): Promise<void> {
    if (!this.browser) {
      this.startOnServer();
      return;
    }
    this.takeSignInError();
    if (this.transferState.hasKey(SESSION_KEY)) {
      const rendered = this.transferState.get(SESSION_KEY, null);
      this.transferState.remove(SESSION_KEY);
      this.setSession(rendered);
      // Rendered signed out: the browser may still have a session. Its SameSite=Strict cookie is not
      // sent on a navigation that another site started (a link in a mail, say); this call sends it.
      if (!rendered) void this.refresh();
      return;
    }
    await this.refresh();
  }

  /** Asks the server who is signed in now. */
  async refresh(): Promise<void> {
    if (!this.browser) return;
    try {
      const response = await this.call('GET', '/user');
      if (response.status === 401) {
        this.setSession(null);
      } else if (response.ok) {
        this.setSession((await response.json()) as SessionInfo);
      } else {
        this.emit({ type: 'warning', error: `unavailable: GET /user answered ${response.status}` });
      }
    } catch (error) {
      this.emit({ type: 'warning', error: `unavailable: ${describe(error)}` });
    }
  }

  /** Goes to the provider through the server; back at `returnUrl` (a path of this app; default: the current one). */
  async login(returnUrl?: string): Promise<void> {
    if (!this.browser) return;
    const location = this.document.location;
    const returnTo = returnUrl ?? `${location.pathname}${location.search}${location.hash}`;
    location.assign(`${this.config.bffPath}/login?returnTo=${encodeURIComponent(returnTo)}`);
  }

  /** Ends the session on the server (which revokes the tokens), then the provider's session. */
  async logout(): Promise<void> {
    if (!this.browser) return;
    let endSessionUrl: string | null = null;
    try {
      const response = await this.call('POST', '/logout');
      if (response.ok)
        endSessionUrl = ((await response.json()) as { endSessionUrl: string | null }).endSessionUrl;
      else
        this.emit({ type: 'warning', error: `logout: POST /logout answered ${response.status}` });
    } catch (error) {
      this.emit({ type: 'warning', error: `logout: ${describe(error)}` });
    }
    this.setSession(null);
    this.emit({ type: 'signed-out' });
    if (endSessionUrl) this.document.location.assign(endSessionUrl);
  }

  /** The server answered 401 to a call of this app: the session is over (the interceptor reports it). */
  sessionEnded(reason: string): void {
    if (this.session() === null) return;
    this.setSession(null);
    this.emit({ type: 'session-ended', error: reason });
  }

  private startOnServer(): void {
    const header = this.request?.headers.get(USER_HEADER);
    const info = header ? parseSessionHeader(header) : null;
    this.session.set(info);
    this.transferState.set(SESSION_KEY, info);
    if (this.responseInit) {
      // The page carries who is signed in: no shared cache may keep it.
      const headers = new Headers(this.responseInit.headers);
      headers.set('Cache-Control', 'private, no-store');
      headers.append('Vary', 'Cookie');
      this.responseInit.headers = headers;
    }
  }

  /** `?auth_error=` of a failed sign-in (set by /bff/callback): an event, and removed from the address bar. */
  private takeSignInError(): void {
    const url = new URL(this.document.location.href);
    const error = url.searchParams.get('auth_error');
    if (!error) return;
    url.searchParams.delete('auth_error');
    const history = this.document.defaultView?.history;
    history?.replaceState(history.state, '', url.href);
    this.signInError.set(error);
    this.emit({ type: 'sign-in-failed', error });
  }

  private setSession(info: SessionInfo | null): void {
    const was = this.session();
    this.session.set(info);
    clearTimeout(this.expiryTimer);
    if (info && !was) this.emit({ type: 'signed-in' });
    if (info) {
      // At the session's end, ask again: use of the app may have kept it going.
      const delay = Math.min(Math.max(info.expiresAt - Date.now(), 1_000), 2 ** 31 - 1);
      this.expiryTimer = setTimeout(() => void this.checkExpired(), delay);
    }
  }

  private async checkExpired(): Promise<void> {
    await this.refresh();
    if (this.session() === null) this.emit({ type: 'session-ended', error: 'session_expired' });
  }

  private call(method: 'GET' | 'POST', path: string): Promise<Response> {
    return fetch(`${this.config.bffPath}${path}`, {
      method,
      headers: { [CSRF_HEADER]: '1', accept: 'application/json' },
      credentials: 'same-origin',
      signal: AbortSignal.timeout((this.config.requestTimeoutSeconds ?? 10) * 1000),
    });
  }

  private emit(event: AuthEvent): void {
    this.eventStream.next(event);
  }
}

function parseSessionHeader(header: string): SessionInfo | null {
  try {
    const bytes = Uint8Array.from(atob(header.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
    return JSON.parse(new TextDecoder().decode(bytes)) as SessionInfo;
  } catch {
    return null;
  }
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
