import { condition, sleep } from '@temporalio/workflow';

/**
 * A deadline held by one timer that is left to lapse, never cancelled. A wait that ends early costs nothing more:
 * a payment that closes before its deadlines drops their timers without an event, where `condition(fn, timeout)`
 * writes a TimerCanceled for every early end and a new TimerStarted for every new wait (bench/README.md, "The
 * events of a payment's life"). A timer that outlives the wait it served costs one TimerFired when it runs out.
 */
export class Deadline {
  #passed: boolean;

  constructor(at: number) {
    const ms = at - Date.now();
    this.#passed = ms <= 0;
    // In the root scope, where only the workflow's own cancellation could cancel it (and then every wait on it
    // ends with that cancellation anyway); no scope of its own, which costs the SDK seven more promises.
    if (!this.#passed) {
      void sleep(ms).then(
        () => {
          this.#passed = true;
        },
        () => undefined,
      );
    }
  }

  get passed(): boolean {
    return this.#passed;
  }

  /** Waits until `done()` holds or the deadline passes (callers look at their own state afterwards). */
  until(done: () => boolean): Promise<void> {
    return condition(() => done() || this.#passed);
  }
}
