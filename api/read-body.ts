import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs the body parsers, and only then lets the request go on, within `timeoutMs` of it reaching the router.
 *
 * Placed before the load shedder (load-shedding.ts), this is what keeps the shared in-flight slots for requests that
 * are ready to be served: a client trickling its body a byte at a time waits here, holding nothing but its own
 * connection, instead of holding a slot for the server's whole request timeout (issue 22, finding 8). A body not
 * in by the deadline is answered by `onTimeout`, in the router's own format, and the connection is closed: the
 * unread rest of the body is never waited for, and the parser still reading it fails silently with the socket.
 */
export function readBodyWithin(timeoutMs: number, parsers: readonly RequestHandler[], onTimeout: (res: Response) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      // Node closes a `Connection: close` response's socket once it is written; the client cannot send more.
      res.set('Connection', 'close');
      onTimeout(res);
    }, timeoutMs);
    // A client that hangs up needs no answer; its timer must not keep a reference to it either.
    res.once('close', () => clearTimeout(timer));

    const finish = (err?: unknown): void => {
      if (settled) return; // answered on time-out; the parser's late error (the closed socket) changes nothing
      settled = true;
      clearTimeout(timer);
      if (err === undefined) next();
      else next(err);
    };
    let index = 0;
    const step = (err?: unknown): void => {
      const parser = parsers[index++];
      if (err !== undefined || !parser) {
        finish(err);
        return;
      }
      try {
        parser(req, res, step);
      } catch (thrown) {
        finish(thrown);
      }
    };
    step();
  };
}
