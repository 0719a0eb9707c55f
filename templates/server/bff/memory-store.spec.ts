// @vitest-environment node
import { MemoryStore } from './memory-store';
import { LockTimeout } from './session-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MemoryStore', () => {
  it('forgets a value after its lifetime', async () => {
    const store = new MemoryStore();
    await store.set('a', '1', 20);
    expect(await store.get('a')).toBe('1');
    await sleep(40);
    expect(await store.get('a')).toBeUndefined();
  });

  it('take() hands a value out once; setIfAbsent() sets once', async () => {
    const store = new MemoryStore();
    await store.set('login', 'x', 1_000);
    expect(await Promise.all([store.take('login'), store.take('login')])).toEqual(['x', undefined]);
    expect(await store.setIfAbsent('jti', '1', 1_000)).toBe(true);
    expect(await store.setIfAbsent('jti', '1', 1_000)).toBe(false);
  });

  it('withLock runs one holder at a time, in order', async () => {
    const store = new MemoryStore();
    const trace: string[] = [];
    const task = (name: string) => async () => {
      trace.push(`${name} in`);
      await sleep(10);
      trace.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([
      store.withLock('r', 1_000, 1_000, task('a')),
      store.withLock('r', 1_000, 1_000, task('b')),
    ]);
    expect(results).toEqual(['a', 'b']);
    expect(trace).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  it('a waiter that gives up does not let the next one in early', async () => {
    const store = new MemoryStore();
    const trace: string[] = [];
    const long = store.withLock('r', 1_000, 1_000, async () => {
      await sleep(60);
      trace.push('long done');
    });
    const impatient = store.withLock('r', 10, 1_000, async () => void trace.push('impatient ran'));
    const patient = store.withLock('r', 1_000, 1_000, async () => void trace.push('patient ran'));
    await rejectsWithLockTimeout(impatient);
    await Promise.all([long, patient]);
    expect(trace).toEqual(['long done', 'patient ran']);
  });
});

/** Resolves with the LockTimeout the promise rejects with (whatever the test runner's matchers). */
async function rejectsWithLockTimeout(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error instanceof LockTimeout).toBe(true);
}
