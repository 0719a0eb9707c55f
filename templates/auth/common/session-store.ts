import { Injectable, PLATFORM_ID, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { AUTH_CONFIG, type AuthConfig } from './provide-auth';
import type { TokenSet } from './oidc';

/** What must survive the redirect to the provider, to check its answer. */
export interface PendingAuthorization {
  state: string;
  nonce: string;
  codeVerifier?: string;
}

interface StoredPending extends PendingAuthorization {
  createdAt: number;
}

const SESSION_KEY = 'auth.session';
const PENDING_KEY = 'auth.pending';
const RETURN_KEY = 'auth.returnTo';
/** An authorization not answered within this time is dropped. */
const PENDING_TTL = 10 * 60 * 1000;

/**
 * Keeps the TokenSet in sessionStorage, localStorage or memory (config.storage), and pending
 * authorizations in sessionStorage (they must survive the redirect, whatever config.storage says).
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  private readonly kind = inject(AUTH_CONFIG).storage;
  private memory: TokenSet | null = null;
  private pending: StoredPending[] = [];

  load(): TokenSet | null {
    const storage = this.storage(this.kind);
    if (!storage) return this.memory;
    const tokens = parse<TokenSet>(storage.getItem(SESSION_KEY));
    return tokens && typeof tokens.accessToken === 'string' && typeof tokens.expiresAt === 'number'
      ? tokens
      : null;
  }

  save(tokens: TokenSet | null): void {
    this.memory = tokens;
    const storage = this.storage(this.kind);
    if (tokens) storage?.setItem(SESSION_KEY, JSON.stringify(tokens));
    else storage?.removeItem(SESSION_KEY);
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
      (event.key === SESSION_KEY || event.key === null)
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

  /** The in-app URL to go back to after the sign-in redirect. */
  saveReturnUrl(url: string): void {
    this.storage('session')?.setItem(RETURN_KEY, url);
  }

  takeReturnUrl(): string | null {
    const storage = this.storage('session');
    const url = storage?.getItem(RETURN_KEY) ?? null;
    storage?.removeItem(RETURN_KEY);
    return url;
  }

  private pendingList(): StoredPending[] {
    const storage = this.storage('session');
    if (!storage) return this.pending;
    const list = parse<StoredPending[]>(storage.getItem(PENDING_KEY));
    return Array.isArray(list) ? list : [];
  }

  private writePending(list: StoredPending[]): void {
    this.pending = list;
    this.storage('session')?.setItem(PENDING_KEY, JSON.stringify(list));
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
