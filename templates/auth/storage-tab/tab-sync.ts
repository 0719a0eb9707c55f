import { Injectable, inject } from '@angular/core';
import type { TokenSet } from './oidc';
import { AUTH_CONFIG } from './auth-config';
import { SessionStore, storageKey } from './session-store';

/**
 * Each tab keeps its own session (storage: 'session' or 'memory'), so tabs never renew for each
 * other. One case needs care: the browser's "Duplicate tab" (and window.open) copies
 * sessionStorage, refresh token included. A rotating refresh token spent by both tabs would make
 * the provider revoke the whole token family, so the copy gives its refresh token up: each tab
 * with a refresh token holds an identity (./tab-identity), and a tab that finds the identity it
 * inherited held by a live tab is the copy.
 */
@Injectable({ providedIn: 'root' })
export class TabSync {
  private readonly config = inject(AUTH_CONFIG);
  private readonly store = inject(SessionStore);
  private duplicate: Promise<boolean> | null = null;

  start(): void {
    // No other tab shares this session: nothing to follow.
  }

  /**
   * The tokens this tab may use: a duplicated tab's stored copy without the refresh token.
   * `fresh`: tokens this tab was just issued (its own in any case).
   */
  async claim(tokens: TokenSet | null, fresh = false): Promise<TokenSet | null> {
    if (this.config.storage !== 'session' || !tokens?.refreshToken) return tokens;
    const key = storageKey('tab', this.config);
    this.duplicate ??= import('./tab-identity').then((identity) => identity.takeIdentity(key));
    // Awaited even for fresh tokens: the identity is held before the app sees the session, so a
    // tab duplicated right after sign-in finds it taken.
    const duplicate = await this.duplicate;
    if (fresh || !duplicate) return tokens;
    const own = { ...tokens, refreshToken: null };
    this.store.save(own);
    return own;
  }

  /** No other tab renews this session: `task` runs at once. */
  exclusively<T>(task: (waited: boolean) => Promise<T>): Promise<T> {
    return task(false);
  }

  /** No other tab changes this session. */
  nextChange(): Promise<void> {
    return Promise.resolve();
  }
}
