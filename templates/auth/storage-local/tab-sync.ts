import { DestroyRef, Injectable, NgZone, inject } from '@angular/core';
import type { TokenSet } from './oidc';
import { AUTH_CONFIG } from './auth-config';
import { SessionStore } from './session-store';

/**
 * Tabs of one browser share one session (storage: 'local'). They follow each other's writes
 * through 'storage' events (fired only in the OTHER tabs of the origin), and renew or sign out one
 * at a time under a Web Lock: a rotated refresh token is never spent twice, and a logout is not
 * undone by a renewal that another tab saves just after it.
 */
@Injectable({ providedIn: 'root' })
export class TabSync {
  private readonly store = inject(SessionStore);
  private readonly zone = inject(NgZone);
  private readonly lockName = `auth.renew:${inject(AUTH_CONFIG).clientId}@${inject(AUTH_CONFIG).authority}`;
  private changed: (() => void) | null = null;

  /** In the browser: calls `onChange` whenever another tab writes or removes the session. */
  start(onChange: () => void, destroyRef: DestroyRef): void {
    const listener = (event: StorageEvent) => {
      if (!this.store.isSessionChange(event)) return;
      this.zone.run(onChange);
      this.changed?.();
    };
    // Outside the Angular zone: changes to other keys must not trigger change detection.
    this.zone.runOutsideAngular(() => window.addEventListener('storage', listener));
    destroyRef.onDestroy(() => window.removeEventListener('storage', listener));
  }

  /** The stored session is every tab's own: nothing to claim. */
  async claim(tokens: TokenSet | null): Promise<TokenSet | null> {
    return tokens;
  }

  /**
   * Runs `task` under the lock the tabs share; `waited` tells it that another tab held the lock
   * first. Waiting longer than `deadlineMs` for the lock fails with a `timeout` error.
   */
  async exclusively<T>(task: (waited: boolean) => Promise<T>, deadlineMs: number): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return task(false);
    const now = (await locks.request(this.lockName, { ifAvailable: true }, async (lock) =>
      lock ? { result: await task(false) } : null,
    )) as { result: T } | null;
    if (now) return now.result;
    const signal = AbortSignal.timeout(deadlineMs);
    return (await locks
      .request(this.lockName, { signal }, () => task(true))
      .catch((error) => {
        throw signal.aborted
          ? Object.assign(new Error('another tab holds the renewal lock'), { code: 'timeout' })
          : error;
      })) as T;
  }

  /**
   * Resolves when another tab next changes the stored session, or after `ms`. Locks and storage
   * are not ordered across tabs: the write of the tab that held the lock may arrive just after it.
   */
  nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.changed = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.changed = done;
    });
  }
}
