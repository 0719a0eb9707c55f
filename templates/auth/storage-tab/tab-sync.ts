import { DestroyRef, Injectable, inject } from '@angular/core';
import type { TokenSet } from './oidc';
import { AUTH_CONFIG } from './provide-auth';
import { SessionStore, storageKey } from './session-store';

/** How long a reloaded page waits for its previous document to let go of the tab's identity. */
const RELOAD_GRACE = 300;

/**
 * Each tab keeps its own session (storage: 'session' or 'memory'), so tabs never renew for each
 * other. One case needs care: the browser's "Duplicate tab" (and window.open) copies
 * sessionStorage, refresh token included. A rotating refresh token spent by both tabs would make
 * the provider revoke the whole token family, so the copy gives its refresh token up: each tab
 * holds a Web Lock named after its identity, and a tab that finds its inherited identity held by
 * a live tab is the copy.
 */
@Injectable({ providedIn: 'root' })
export class TabSync {
  private readonly config = inject(AUTH_CONFIG);
  private readonly store = inject(SessionStore);
  private duplicate: Promise<boolean> = Promise.resolve(false);

  /** In the browser: takes this tab's identity. */
  start(_onChange: () => void, _destroyRef: DestroyRef): void {
    if (this.config.storage === 'session') this.duplicate = this.takeIdentity();
  }

  /** The tokens this tab may use: a duplicated tab's copy without the refresh token. */
  async claim(tokens: TokenSet | null): Promise<TokenSet | null> {
    if (!tokens?.refreshToken || !(await this.duplicate)) return tokens;
    const own = { ...tokens, refreshToken: null };
    this.store.save(own);
    return own;
  }

  /** No other tab shares this session: nothing to wait for. */
  exclusively<T>(task: (waited: boolean) => Promise<T>, _deadlineMs: number): Promise<T> {
    return task(false);
  }

  nextChange(_ms: number): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves true when this tab is a copy of a tab that is still open. */
  private async takeIdentity(): Promise<boolean> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return false;
    try {
      const key = storageKey('tab', this.config);
      const inherited = sessionStorage.getItem(key);
      if (inherited && (await hold(locks, inherited, RELOAD_GRACE))) return false; // reloaded
      const own = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
        b.toString(16),
      ).join('');
      sessionStorage.setItem(key, own);
      await hold(locks, own, 0);
      return inherited !== null;
    } catch {
      return false; // storage or locks unavailable: nothing was copied that could be spent twice
    }
  }
}

/** Takes the lock `auth.tab:<name>` for the rest of the page's life; false if not granted in `waitMs`. */
function hold(locks: LockManager, name: string, waitMs: number): Promise<boolean> {
  return new Promise((granted) => {
    const options: LockOptions = waitMs
      ? { signal: AbortSignal.timeout(waitMs) }
      : { ifAvailable: true };
    locks
      .request(`auth.tab:${name}`, options, (lock) => {
        granted(lock !== null);
        return lock ? new Promise<never>(() => undefined) : undefined;
      })
      .catch(() => granted(false));
  });
}
