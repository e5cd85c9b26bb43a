import type { Request, Response } from 'express';
import type { ApiDeps } from '../deps.js';

/** 200 only when Temporal answers and a worker polls the task queue (CONTRACT §1); else 503. */
export function healthRoute(deps: ApiDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const report = await deps.health();
    res.status(report.ok ? 200 : 503).json({ status: report.ok ? 'ok' : 'unavailable', temporal: report.temporal, workers: report.workers });
  };
}
