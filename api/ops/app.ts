import express, { type NextFunction, type Request, type Response } from 'express';
import type { ApiDeps } from '../deps.js';
import { metricsRoute } from '../metrics-middleware.js';
import { requestLog } from '../request-log.js';
import { opsRouter } from './router.js';

/**
 * The operations listener's app (`OPS_HOST`:`OPS_PORT`, CONTRACT §1): the operator API under `/ops` and the
 * Prometheus scrape at `/metrics`, and nothing else. The public app (app.ts) serves neither, so an operator
 * endpoint is never one proxy rule or one leaked token away from the internet: reaching it takes the private
 * network too. Apart from its listener (server.ts), like `createApp`, so tests drive it in-process.
 */
export function createOpsApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Every operator request is logged (an audit trail).
  app.use(requestLog(deps.logger, { quietPath: '/metrics', fields: { listener: 'ops' } }));

  // No token on the scrape: this listener is on loopback (or a private network) by design, the metrics carry no
  // customer data or transaction ids (metrics-middleware.ts), so the scrape configuration needs no secret.
  if (deps.metrics) app.get('/metrics', metricsRoute(deps.metrics));
  app.use('/ops', opsRouter(deps));

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err }, 'operations request failed');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
