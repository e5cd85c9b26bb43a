import type { RequestHandler, Response } from 'express';

/**
 * At most `limit` requests of one router in flight at once; the next are answered at once with "busy, retry" rather
 * than queued as thousands of concurrent Temporal calls. A wallet flushing 10 000 callbacks together (bench/README.md)
 * otherwise times out everything it sends and grows the API by gigabytes; refused, it retries later, and what is in
 * flight finishes at the engine's own pace.
 */
export function shedLoad(limit: number, busy: (res: Response) => void): RequestHandler {
  let inFlight = 0;
  return (_req, res, next) => {
    if (inFlight >= limit) {
      busy(res);
      return;
    }
    inFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      inFlight--;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
