/**
 * Where sessions and sign-ins in progress are kept: memory (one process) or Redis (shared by every
 * instance, kept across restarts). Values are sealed before they get here.
 */
export interface SessionStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets only when the key is absent; true when it was set (one use of a sign-in, a logout token's jti). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Reads and deletes in one step: only one caller gets the value. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Adds a member to a set that expires `ttlMs` after its last addition (sessions of a provider session). */
  addToSet(key: string, member: string, ttlMs: number): Promise<void>;
  members(key: string): Promise<string[]>;
  /**
   * Runs `task` holding the lock `name`, one holder at a time across every instance sharing the
   * store. Rejects with LockTimeout when it cannot be had within `waitMs`; a holder that dies
   * loses it after `holdMs`.
   */
  withLock<T>(name: string, waitMs: number, holdMs: number, task: () => Promise<T>): Promise<T>;
}

export class LockTimeout extends Error {
  constructor(name: string) {
    super(`lock ${name} not acquired in time`);
  }
}
