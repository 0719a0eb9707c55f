/** How long a reloaded page waits for its previous document to let go of the tab's identity. */
const RELOAD_GRACE = 300;

/**
 * Takes this tab's identity: a random id kept in sessionStorage under `key`, held as a Web Lock
 * for the rest of the page's life. Resolves true when the identity this tab inherited is held by
 * a tab that is still open: this tab is a copy of it ("Duplicate tab", window.open), and takes a
 * new identity. Loaded only once there is a refresh token to protect.
 */
export async function takeIdentity(key: string): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return false;
  try {
    const inherited = sessionStorage.getItem(key);
    if (inherited && (await hold(locks, inherited, RELOAD_GRACE))) return false; // reloaded
    const own = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16)).join(
      '',
    );
    sessionStorage.setItem(key, own);
    await hold(locks, own, 0);
    return inherited !== null;
  } catch {
    return false; // storage or locks unavailable: nothing was copied that could be spent twice
  }
}

/** Takes the lock `auth.tab:<id>` for the page's life; false if not granted within `waitMs`. */
function hold(locks: LockManager, id: string, waitMs: number): Promise<boolean> {
  return new Promise((granted) => {
    const options: LockOptions = waitMs
      ? { signal: AbortSignal.timeout(waitMs) }
      : { ifAvailable: true };
    locks
      .request(`auth.tab:${id}`, options, (lock) => {
        granted(lock !== null);
        return lock ? new Promise<never>(() => undefined) : undefined;
      })
      .catch(() => granted(false));
  });
}
