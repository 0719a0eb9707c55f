/** setTimeout cannot wait longer than this; longer delays are waited in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Runs one task at a wall-clock time (epoch ms). Timers of a sleeping or throttled tab fire late,
 * so the due time is re-checked with Date.now() whenever the page wakes up.
 */
export class RenewalScheduler {
  private task: (() => void) | null = null;
  private at = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly check = () => this.arm();

  /** The time the task is due, or null when nothing is scheduled. */
  get scheduledAt(): number | null {
    return this.task ? this.at : null;
  }

  /** Replaces any scheduled task. A time already past runs the task at once. */
  schedule(at: number, task: () => void): void {
    this.cancel();
    this.at = at;
    this.task = task;
    this.listen(true);
    this.arm();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.task = null;
    this.listen(false);
  }

  private arm(): void {
    const task = this.task;
    if (!task) return;
    clearTimeout(this.timer);
    const delay = this.at - Date.now();
    if (delay <= 0) {
      this.cancel();
      task();
    } else {
      this.timer = setTimeout(this.check, Math.min(delay, MAX_DELAY));
    }
  }

  private listen(on: boolean): void {
    if (typeof window === 'undefined') return;
    const method = on ? 'addEventListener' : 'removeEventListener';
    document[method]('visibilitychange', this.check);
    for (const type of ['focus', 'pageshow', 'online']) window[method](type, this.check);
  }
}
