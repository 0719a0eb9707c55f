import { Injectable, PLATFORM_ID, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';

/** Tokens of the current session. */
export interface TokenSet {
  accessToken: string;
  idToken: string | null;
  refreshToken: string | null;
  /** Epoch ms at which the access token expires, from `expires_in` at receipt (wall clock). */
  expiresAt: number;
  /**
   * Epoch ms after which the session cannot be renewed (its refresh token ends at a fixed time):
   * from the provider's token response or config.sessionLifetimeSeconds. Absent: no known end.
   */
  sessionEndsAt?: number;
}

/** What must survive the redirect to the provider, to check its answer. */
export interface PendingAuthorization {
  state: string;
  nonce: string;
  codeVerifier?: string | undefined;
}

interface StoredPending extends PendingAuthorization {
  createdAt: number;
}

/** An authorization not answered within this time is dropped. */
const PENDING_TTL = 10 * 60 * 1000;

/**
 * The storage key of one kind of entry (`session`, `pending`, ...) of this app's sign-in:
 * namespaced by client id and authority, so that apps sharing an origin keep their own sessions.
 */
export function storageKey(
  kind: 'session' | 'pending' | 'returnTo' | 'logoutState' | 'tab' | 'dpop',
  config: Pick<AuthConfig, 'clientId' | 'authority'>,
): string {
  return `auth.${kind}:${config.clientId}@${config.authority}`;
}

/**
 * Keeps the TokenSet in sessionStorage, localStorage or memory (config.storage), and pending
 * authorizations in sessionStorage (they must survive the redirect, whatever config.storage says).
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  private readonly config = inject(AUTH_CONFIG);
  private readonly kind = this.config.storage;
  private readonly sessionKey = storageKey('session', this.config);
  private readonly pendingKey = storageKey('pending', this.config);
  private memory: TokenSet | null = null;
  private pending: StoredPending[] = [];

  load(): TokenSet | null {
    const storage = this.storage(this.kind);
    if (!storage) return this.memory;
    const tokens = parse<TokenSet>(storage.getItem(this.sessionKey));
    return tokens && typeof tokens.accessToken === 'string' && typeof tokens.expiresAt === 'number'
      ? tokens
      : null;
  }

  save(tokens: TokenSet | null): void {
    this.memory = tokens;
    const storage = this.storage(this.kind);
    if (tokens) storage?.setItem(this.sessionKey, JSON.stringify(tokens));
    else storage?.removeItem(this.sessionKey);
  }

  /**
   * Whether `event` (a window 'storage' event) changed the stored session: its key, or all keys
   * (key null: storage.clear()), in the storage this store keeps the session in.
   */
  isSessionChange(event: StorageEvent): boolean {
    const storage = this.storage(this.kind);
    return (
      storage !== null &&
      event.storageArea === storage &&
      (event.key === this.sessionKey || event.key === null)
    );
  }

  /** Several authorizations may be pending at once (a login and a silent renewal, or two tabs). */
  savePending(pending: PendingAuthorization): void {
    const fresh = this.pendingList().filter((p) => p.createdAt > Date.now() - PENDING_TTL);
    fresh.push({ ...pending, createdAt: Date.now() });
    this.writePending(fresh);
  }

  /** Returns and forgets the pending authorization that issued `state`, if any. */
  takePending(state: string): PendingAuthorization | null {
    const list = this.pendingList();
    const found = list.find((p) => p.state === state && p.createdAt > Date.now() - PENDING_TTL);
    this.writePending(list.filter((p) => p.state !== state));
    return found
      ? { state: found.state, nonce: found.nonce, codeVerifier: found.codeVerifier }
      : null;
  }

  /** The in-app URL (relative to the base href) to go back to after the sign-in redirect. */
  saveReturnUrl(url: string): void {
    this.storage('session')?.setItem(storageKey('returnTo', this.config), url);
  }

  takeReturnUrl(): string | null {
    return this.take('returnTo');
  }

  /** The `state` sent with the logout request, to recognize the provider's redirect back. */
  saveLogoutState(state: string): void {
    this.storage('session')?.setItem(storageKey('logoutState', this.config), state);
  }

  takeLogoutState(): string | null {
    return this.take('logoutState');
  }

  private take(kind: 'returnTo' | 'logoutState'): string | null {
    const storage = this.storage('session');
    const key = storageKey(kind, this.config);
    const value = storage?.getItem(key) ?? null;
    storage?.removeItem(key);
    return value;
  }

  private pendingList(): StoredPending[] {
    const storage = this.storage('session');
    if (!storage) return this.pending;
    const list = parse<StoredPending[]>(storage.getItem(this.pendingKey));
    return Array.isArray(list) ? list : [];
  }

  private writePending(list: StoredPending[]): void {
    this.pending = list;
    this.storage('session')?.setItem(this.pendingKey, JSON.stringify(list));
  }

  private storage(kind: AuthConfig['storage']): Storage | null {
    if (!this.browser || kind === 'memory') return null;
    try {
      return kind === 'local' ? localStorage : sessionStorage;
    } catch {
      return null; // storage disabled by the browser: keep everything in memory
    }
  }
}

function parse<T>(json: string | null): T | null {
  try {
    return json ? (JSON.parse(json) as T) : null;
  } catch {
    return null;
  }
}
