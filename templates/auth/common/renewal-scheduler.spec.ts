import { sleep, waitFor } from './auth.testing';
import { RenewalScheduler } from './renewal-scheduler';

describe('RenewalScheduler', () => {
  let scheduler: RenewalScheduler;
  let runs: number;
  const realNow = Date.now;

  beforeEach(() => {
    scheduler = new RenewalScheduler();
    runs = 0;
  });

  afterEach(() => {
    scheduler.cancel();
    Date.now = realNow;
  });

  it('runs the task at the wall-clock time, not before', async () => {
    const due = Date.now() + 40;
    let ranAt = 0;
    scheduler.schedule(due, () => (runs++, (ranAt = Date.now())));
    expect(runs).toBe(0);
    await waitFor(() => runs > 0);
    expect(ranAt).toBeGreaterThanOrEqual(due);
    expect(runs).toBe(1);
    expect(scheduler.scheduledAt).toBeNull();
  });

  it('runs a task whose time has passed at once', () => {
    scheduler.schedule(Date.now() - 1, () => runs++);
    expect(runs).toBe(1);
  });

  it('does not run a cancelled or replaced task', async () => {
    scheduler.schedule(Date.now() + 20, () => (runs += 10));
    scheduler.schedule(Date.now() + 20, () => runs++);
    await waitFor(() => runs > 0);
    expect(runs).toBe(1);
    scheduler.schedule(Date.now() + 20, () => runs++);
    scheduler.cancel();
    await sleep(40);
    expect(runs).toBe(1);
  });

  it('caps delays above 2^31-1 ms instead of firing at once', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const delays: number[] = [];
    globalThis.setTimeout = ((handler: () => void, delay?: number) => {
      delays.push(delay ?? 0);
      return realSetTimeout(handler, delay);
    }) as unknown as typeof setTimeout;
    try {
      scheduler.schedule(Date.now() + 2 ** 31 + 60_000, () => runs++);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(delays).toEqual([2 ** 31 - 1]);
    await sleep(20);
    expect(runs).toBe(0);
  });

  it('re-checks the clock when the page wakes up', () => {
    const at = Date.now() + 60_000;
    scheduler.schedule(at, () => runs++);
    window.dispatchEvent(new Event('focus'));
    expect(runs).toBe(0);
    Date.now = () => at + 1; // the tab slept past the due time; its timer has not fired
    document.dispatchEvent(new Event('visibilitychange'));
    expect(runs).toBe(1);
  });
});
