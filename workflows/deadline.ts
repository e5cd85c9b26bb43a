import { condition, sleep } from '@temporalio/workflow';

/**
 * A deadline held by one timer that is left to lapse, never cancelled. A wait that ends early costs nothing more:
 * a payment that closes before its deadlines drops their timers without an event, where `condition(fn, timeout)`
 * writes a TimerCanceled for every early end and a new TimerStarted for every new wait (bench/README.md, "The
 * events of a payment's life"). A timer that outlives the wait it served costs one TimerFired when it runs out.
 *
 * `whenWaited`: the timer starts only when a wait first needs it, so a deadline nobody had to wait for (a payment
 * submitted in the task that registered it) writes no timer at all. Callers that read `passed` in conditions of
 * their own need the timer from the start (the default).
 */
export class Deadline {
  #passed: boolean;
  #armed = false;

  constructor(
    private readonly at: number,
    options: { readonly whenWaited?: boolean } = {},
  ) {
    this.#passed = at <= Date.now();
    if (!options.whenWaited) this.#arm();
  }

  get passed(): boolean {
    return this.#passed;
  }

  /** Waits until `done()` holds or the deadline passes (callers look at their own state afterwards). */
  until(done: () => boolean): Promise<void> {
    // Already done: no condition (each costs the SDK promises, bench/README.md step 8) and no timer.
    if (done()) return Promise.resolve();
    this.#arm();
    if (this.#passed) return Promise.resolve();
    return condition(() => done() || this.#passed);
  }

  #arm(): void {
    if (this.#armed || this.#passed) return;
    // Armed late, the deadline may be behind the workflow's clock already.
    const ms = this.at - Date.now();
    if (ms <= 0) {
      this.#passed = true;
      return;
    }
    this.#armed = true;
    // In the root scope, where only the workflow's own cancellation could cancel it (and then every wait on it
    // ends with that cancellation anyway); no scope of its own, which costs the SDK seven more promises.
    void sleep(ms).then(
      () => {
        this.#passed = true;
      },
      () => undefined,
    );
  }
}
