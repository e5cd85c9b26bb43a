import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { maskPhone } from '../../domain/account-link.js';
import { statusName } from '../../domain/payment-status.js';
import type { PaymentView } from '../../workflows/messages.js';
import type { ApiDeps } from '../deps.js';
import { answeredClientError, GatewayError } from '../errors.js';
import { findPayment } from '../routes/payment.js';

/** Operators only: `Authorization: Bearer <OPERATOR_TOKEN>`, compared in constant time. */
function requireOperator(token: string) {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'operator token required' });
      return;
    }
    next();
  };
}

/** A payment as operators read it: every status change, notification attempt, cancel and reconciliation; no customer data. */
function operatorView(view: PaymentView) {
  const { billingNm: _name, billingEmail: _email, billingPhone, ...registration } = view.registration;
  return {
    tXid: view.tXid,
    status: view.status,
    statusName: statusName[view.status],
    cancelAmt: view.cancelAmt,
    registration: { ...registration, billingPhone: maskPhone(billingPhone) },
    history: view.history,
    notifications: view.notifications,
    cancellations: view.cancellations ?? [],
    reconciliations: view.reconciliations,
  };
}

/**
 * The operator API (`/ops`): read any transaction's delivery state and resend its notification. JSON errors with
 * HTTP status codes (this is not NICEPAY's API).
 */
export function opsRouter(deps: ApiDeps): Router {
  const ops = express.Router();
  ops.use(requireOperator(deps.config.operatorToken));

  ops.get('/payments/:tXid', async (req: Request<{ tXid: string }>, res: Response) => {
    res.json(operatorView(await findPayment(deps, req.params.tXid)));
  });

  ops.get('/payments/:tXid/notifications', async (req: Request<{ tXid: string }>, res: Response) => {
    const view = await findPayment(deps, req.params.tXid);
    res.json({ tXid: view.tXid, status: view.status, notifications: view.notifications });
  });

  ops.post('/payments/:tXid/notifications/resend', async (req: Request<{ tXid: string }>, res: Response) => {
    await findPayment(deps, req.params.tXid);
    const record = await deps.payments.resendNotification(req.params.tXid);
    deps.logger.info({ tXid: req.params.tXid, seq: record.seq }, 'notification resent by an operator');
    res.status(202).json(record);
  });

  ops.get('/reconciliation/latest', async (_req: Request, res: Response) => {
    const report = await deps.reconciliation?.latest();
    if (!report) {
      res.status(404).json({ error: 'no reconciliation has completed yet' });
      return;
    }
    res.json(report);
  });

  /** Runs a reconciliation now over the last `lookbackHours` (default 24) and answers its report. */
  ops.post('/reconciliation/run', express.json({ limit: '1kb' }), async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { lookbackHours?: unknown; settleMarginMinutes?: unknown };
    const lookbackHours = body.lookbackHours === undefined ? 24 : Number(body.lookbackHours);
    const settleMarginMinutes = body.settleMarginMinutes === undefined ? undefined : Number(body.settleMarginMinutes);
    if (!Number.isFinite(lookbackHours) || lookbackHours <= 0 || lookbackHours > 24 * 45 || (settleMarginMinutes !== undefined && !(settleMarginMinutes >= 0))) {
      res.status(400).json({ error: 'lookbackHours must be 0 < h ≤ 1080; settleMarginMinutes ≥ 0' });
      return;
    }
    if (!deps.reconciliation) {
      res.status(503).json({ error: 'reconciliation is not configured on this API' });
      return;
    }
    const report = await deps.reconciliation.runNow(lookbackHours, settleMarginMinutes === undefined ? {} : { settleMarginMinutes });
    deps.logger.info({ checked: report.checked, differences: report.differences.length }, 'reconciliation run by an operator');
    res.json(report);
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
