import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { withDeadline } from './deadline';
import { LockTimeout, SessionStore } from './session-store';

type Client = ReturnType<typeof createClient>;

/** Deletes the lock only when it is still ours (compare and delete in one step). */
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sessions in Redis (BFF_REDIS_URL): every instance of the app sees the same sessions, a restart
 * loses none, and token refresh is locked across instances. Every command has a deadline.
 */
export class RedisStore implements SessionStore {
  private constructor(
    private readonly client: Client,
    private readonly timeoutMs: number,
  ) {}

  static async connect(url: string, timeoutMs: number): Promise<RedisStore> {
    const client: Client = createClient({
      url,
      socket: {
        connectTimeout: timeoutMs,
        reconnectStrategy: (retries) => Math.min(retries * 200, 2_000),
      },
    });
    client.on('error', (error: unknown) => console.error('[bff] redis:', error));
    try {
      await withDeadline(client.connect(), timeoutMs, 'redis connect');
    } catch (error) {
      client.destroy(); // no client left reconnecting in the background; the next request tries again
      throw error;
    }
    return new RedisStore(client, timeoutMs);
  }

  private run<T>(command: Promise<T>): Promise<T> {
    return withDeadline(command, this.timeoutMs, 'redis');
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.run(this.client.get(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run(
      this.client.set(key, value, {
        expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
      }),
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const set = await this.run(
      this.client.set(key, value, {
        expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
        condition: 'NX',
      }),
    );
    return set === 'OK';
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.run(this.client.getDel(key))) ?? undefined;
  }

  async delete(key: string): Promise<void> {
    await this.run(this.client.del(key));
  }

  async addToSet(key: string, member: string, ttlMs: number): Promise<void> {
    await this.run(
      this.client
        .multi()
        .sAdd(key, member)
        .pExpire(key, Math.max(1, Math.ceil(ttlMs)))
        .exec(),
    );
  }

  async members(key: string): Promise<string[]> {
    return this.run(this.client.sMembers(key));
  }

  async withLock<T>(
    name: string,
    waitMs: number,
    holdMs: number,
    task: () => Promise<T>,
  ): Promise<T> {
    const key = `lock:${name}`;
    const token = randomBytes(16).toString('base64url');
    const deadline = Date.now() + waitMs;
    while (!(await this.setIfAbsent(key, token, holdMs))) {
      if (Date.now() >= deadline) throw new LockTimeout(name);
      await sleep(25);
    }
    try {
      return await task();
    } finally {
      await this.run(this.client.eval(RELEASE, { keys: [key], arguments: [token] })).catch(
        () => undefined,
      );
    }
  }
}
