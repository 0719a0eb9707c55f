// Helpers of the "renewal that survives real life" scenarios (e2e/scenarios/*.ts).
import type { Page } from 'playwright-core';
import type { LogEntry, RunningProvider } from '../provider/provider.ts';
import { sleep } from '../lib/kit.ts';
import type { PageState, SeenEvent } from '../lib/kit.ts';

export const isRefresh = (e: LogEntry) => e.path === '/token' && e.method === 'POST' && e.grant_type === 'refresh_token';
export const refreshSince = (provider: RunningProvider, t: number) => provider.since(t).filter(isRefresh);

/** The stored session entries (keys starting with `auth.session`) of a page's storage. */
export function storedSessions(page: Page, area: 'session' | 'local' = 'session'): Promise<{ key: string; value: string }[]> {
  return page.evaluate((a) => {
    const st = a === 'local' ? localStorage : sessionStorage;
    const out: { key: string; value: string }[] = [];
    for (let i = 0; i < st.length; i++) {
      const key = st.key(i);
      if (key?.startsWith('auth.session')) out.push({ key, value: st.getItem(key) ?? '' });
    }
    return out;
  }, area);
}

/** Waits until `pred` holds for one of the events seen (node side); resolves it, or null after `ms`. */
export async function waitEvent(events: SeenEvent[], pred: (e: SeenEvent) => boolean, ms: number): Promise<SeenEvent | null> {
  const end = Date.now() + ms;
  for (;;) {
    const hit = events.find(pred);
    if (hit || Date.now() > end) return hit ?? null;
    await sleep(50);
  }
}

/** Waits until the provider log has an entry matching `pred` after `since`; null after `ms`. */
export async function waitLog(provider: RunningProvider, since: number, pred: (e: LogEntry) => boolean, ms: number): Promise<LogEntry | null> {
  const end = Date.now() + ms;
  for (;;) {
    const hit = provider.since(since).find(pred);
    if (hit || Date.now() > end) return hit ?? null;
    await sleep(50);
  }
}

/** Waits until the page holds an access token other than `old` (not null); false after `ms`. */
export async function waitNewToken(page: Page, old: string | null, ms: number): Promise<boolean> {
  return page.waitForFunction((at) => { const t = window.auth.accessToken(); return t !== null && t !== at; }, old,
    { timeout: Math.max(1, ms), polling: 50 }).then(() => true, () => false);
}

/** ms between consecutive times. */
export const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]);

/**
 * The most requests a capped backoff of 2 s, 4 s, 8 s … (max 60 s) allows in `elapsed` ms after
 * the first failure, counting that first one (1 s of slack per step).
 */
export function backoffMax(elapsed: number): number {
  let n = 1;
  let at = 0;
  for (let step = 2000; ; step = Math.min(step * 2, 60000)) {
    at += step - 1000;
    if (at > elapsed) return n;
    n++;
  }
}

/** The expected delay after `failures` consecutive failures: 2 s, 4 s, 8 s … max 60 s. */
export const backoffStep = (failures: number) => Math.min(60000, 2000 * 2 ** Math.max(0, failures - 1));

/** ms from the scheduled renewal target (expiresAt - renewBefore) of a state to now. */
export const target = (s: PageState) => Number(s.expiresAt) - s.renewBefore * 1000;

/** A short summary of page events for details: "renew-failed(timeout: …)@+1234". */
export function describeEvents(events: { t: number; type: string; error: string | null }[], t0: number): string {
  return events.map((e) => `${e.type}${e.error ? `(${e.error.slice(0, 60)})` : ''}@+${e.t - t0}`).join(', ') || 'none';
}
