import { LockTimeout, SessionStore } from './session-store';

interface Entry {
  value: string | Set<string>;
  expires: number;
}

/** Sessions in this process's memory: no other service needed; lost on restart. */
export class MemoryStore implements SessionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor() {
    const sweeper: { unref?: () => void } = setInterval(() => this.sweep(), 60_000);
    sweeper.unref?.(); // never keeps the process alive
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const key of [...this.entries.keys()]) this.live(key);
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.live(key)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
    return true;
  }

  async take(key: string): Promise<string | undefined> {
    const value = this.live(key)?.value; // read and delete with no await between: one caller gets it
    this.entries.delete(key);
    return typeof value === 'string' ? value : undefined;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async addToSet(key: string, member: string, ttlMs: number): Promise<void> {
    const current = this.live(key)?.value;
    const set = current instanceof Set ? current : new Set<string>();
    set.add(member);
    this.entries.set(key, { value: set, expires: Date.now() + ttlMs });
  }

  async members(key: string): Promise<string[]> {
    const value = this.live(key)?.value;
    return value instanceof Set ? [...value] : [];
  }

  async withLock<T>(
    name: string,
    waitMs: number,
    _holdMs: number,
    task: () => Promise<T>,
  ): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const turn = Promise.race([
      previous.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
    ]);
    const run = turn.then(async (ours) => {
      clearTimeout(timer);
      if (!ours) throw new LockTimeout(name);
      return task();
    });
    // Free once this turn and every earlier one are over (a waiter that gave up frees nothing early).
    const settled = Promise.allSettled([previous, run]).then(() => undefined);
    this.locks.set(name, settled);
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    });
    return run;
  }
}
