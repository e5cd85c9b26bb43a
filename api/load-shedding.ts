import type { RequestHandler, Response } from 'express';

/**
 * At most `limit` requests of one router in flight at once. The next wait their turn, in arrival order, up to
 * `maxQueue` of them for at most `maxWaitMs`; beyond that they are answered at once with "busy, retry". A wallet
 * flushing 10 000 callbacks together (bench/README.md) would otherwise start 10 000 concurrent Temporal calls, time
 * out most of them and grow the API by gigabytes; this way the engine takes them at its own pace, and what is
 * refused is retried by the wallet a moment later. It comes after the body is read (api/read-body.ts): a slot is
 * held only by a request ready to be served, never by a client still trickling its body.
 */
export function shedLoad(busy: (res: Response) => void, { limit, maxQueue = limit * 8, maxWaitMs = 5_000 }: { limit: number; maxQueue?: number; maxWaitMs?: number }): RequestHandler {
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const admit = (res: Response, next: () => void): void => {
    inFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      inFlight--;
      queue.shift()?.();
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
  return (_req, res, next) => {
    if (inFlight < limit && queue.length === 0) {
      admit(res, next);
      return;
    }
    if (queue.length >= maxQueue) {
      busy(res);
      return;
    }
    const turn = (): void => {
      clearTimeout(timer);
      if (res.writableEnded || res.destroyed) {
        queue.shift()?.(); // the client left while waiting: its turn goes to the next
        return;
      }
      admit(res, next);
    };
    const timer = setTimeout(() => {
      const at = queue.indexOf(turn);
      if (at >= 0) queue.splice(at, 1);
      busy(res);
    }, maxWaitMs);
    queue.push(turn);
  };
}
