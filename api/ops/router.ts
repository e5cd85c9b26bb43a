import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { answeredClientError, GatewayError } from '../errors.js';
import { ReconciliationAlreadyRunning } from '../reconciliation-client.js';
import { findOr8004, findPayment } from '../routes/payment.js';
import { operatorNotificationView, operatorPaymentView } from './payment-view.js';
import { ReconciliationRunBody } from './reconciliation-run.schema.js';

/**
 * Operators only: `Authorization: Bearer <OPERATOR_TOKEN>`, compared in constant time. Both sides are hashed first
 * so the comparison takes the same time whatever the length of what was sent: not even the token's length leaks.
 */
function requireOperator(token: string) {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = digest(`Bearer ${token}`);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!timingSafeEqual(digest(req.get('authorization') ?? ''), expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'operator token required' });
      return;
    }
    next();
  };
}

/**
 * The operator API (`/ops`, on the operations listener only: ops/app.ts): read any transaction's delivery state,
 * resend its notification, reconcile. JSON errors with HTTP status codes (this is not NICEPAY's API).
 */
export function opsRouter(deps: ApiDeps): Router {
  const ops = express.Router();
  ops.use(requireOperator(deps.config.operatorToken));

  ops.get('/payments/:tXid', async (req: Request<{ tXid: string }>, res: Response) => {
    res.json(operatorPaymentView(await findPayment(deps, req.params.tXid)));
  });

  ops.get('/payments/:tXid/notifications', async (req: Request<{ tXid: string }>, res: Response) => {
    const view = await findPayment(deps, req.params.tXid);
    res.json({ tXid: view.tXid, status: view.status, notifications: view.notifications.map(operatorNotificationView) });
  });

  ops.post('/payments/:tXid/notifications/resend', async (req: Request<{ tXid: string }>, res: Response) => {
    // No read first: the resend itself is the lookup (8004 for a transaction that does not exist).
    const record = await findOr8004(deps, req.params.tXid, (t) => deps.payments.resendNotification(t));
    deps.logger.info({ tXid: req.params.tXid, seq: record.seq }, 'notification resent by an operator');
    res.status(202).json(operatorNotificationView(record));
  });

  ops.get('/reconciliation/latest', async (_req: Request, res: Response) => {
    const report = await deps.reconciliation?.latest();
    if (!report) {
      res.status(404).json({ error: 'no reconciliation has completed yet' });
      return;
    }
    res.json(report);
  });

  /**
   * Runs a reconciliation now over the last `lookbackHours` (default 24, at most a week) and answers its report.
   * One at a time: while one runs (an operator's or the daily one) a second is refused with 409 rather than joined,
   * because its window would not be the one asked for.
   */
  ops.post('/reconciliation/run', express.json({ type: () => true, limit: '1kb' }), async (req: Request, res: Response) => {
    const parsed = ReconciliationRunBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? issue.path.map(String).join('.') : (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body');
      res.status(400).json({ error: `invalid ${field}: ${issue?.message ?? 'bad request'}`, field });
      return;
    }
    if (!deps.reconciliation) {
      res.status(503).json({ error: 'reconciliation is not configured on this API' });
      return;
    }
    const { lookbackHours, settleMarginMinutes } = parsed.data;
    try {
      const report = await deps.reconciliation.runNow(lookbackHours, settleMarginMinutes === undefined ? {} : { settleMarginMinutes });
      deps.logger.info({ checked: report.checked, differences: report.differences.length }, 'reconciliation run by an operator');
      res.json(report);
    } catch (err) {
      if (!(err instanceof ReconciliationAlreadyRunning)) throw err;
      res.status(409).json({ error: err.message, running: err.workflowId });
    }
  });

  ops.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof GatewayError) {
      const http = err.resultCd === '8004' ? 404 : err.resultCd === '9502' ? 409 : err.resultCd === '9002' ? 503 : 400;
      res.status(http).json({ error: err.message, resultCd: err.resultCd });
      return;
    }
    if (answeredClientError(err, res)) return;
    deps.logger.error({ err }, 'operator request failed');
    res.status(500).json({ error: 'internal error' });
  });
  return ops;
}
