import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { CallbackDelivery } from './callback-dispatcher.js';
import type { FaultRegistry } from './faults.js';
import type { Ledger } from './ledger.js';
import { walletName } from './wallet-names.js';

export interface CallbackSource {
  callbackDeliveries(filter: { merchantInvoice?: string }): CallbackDelivery[];
}

/**
 * `/sandbox`: inspection (ledger, callback deliveries) and faults on demand, for tests, operators and chaos
 * runs. Not part of any wallet's API, so no wallet authentication.
 */
/** A wallet whose waiting customers can all be made to approve at once (POST /sandbox/customers/approve). */
export interface WaitingCustomers {
  customersApproveWaiting(): number;
}

export function createControlRouter(deps: {
  /** The configured wallets' ledger names: what `?wallet=` and the faults accept. */
  wallets: readonly string[];
  ledger: Ledger;
  faults: FaultRegistry;
  callbackSources: readonly CallbackSource[];
  customers: readonly WaitingCustomers[];
}): Router {
  const router = express.Router();
  const known = walletName(deps.wallets);
  /** `?wallet=`: absent, or a configured wallet; anything else is answered 400 here (`undefined` then). */
  const walletQuery = (req: Request, res: Response): { wallet?: string } | undefined => {
    const wallet = queryString(req.query.wallet);
    if (wallet === undefined) return {};
    const parsed = known.safeParse(wallet);
    if (parsed.success) return { wallet: parsed.data };
    invalid(res, `wallet: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return undefined;
  };

  router.get('/ledger', (req, res) => {
    const filter = walletQuery(req, res);
    if (filter === undefined) return;
    const merchantInvoice = queryString(req.query.merchantInvoice);
    res.json({ entries: deps.ledger.entries({ ...filter, ...(merchantInvoice !== undefined ? { merchantInvoice } : {}) }) });
  });

  router.get('/callbacks', (req, res) => {
    const merchantInvoice = queryString(req.query.merchantInvoice);
    const filter = merchantInvoice !== undefined ? { merchantInvoice } : {};
    const deliveries = deps.callbackSources.flatMap((s) => s.callbackDeliveries(filter)).sort((a, b) => a.at.localeCompare(b.at));
    res.json({ deliveries });
  });

  // Every request waiting for a person (magic "other") is approved now: the benchmark drains 10 000 pending payments.
  router.post('/customers/approve', (_req, res) => {
    res.json({ approved: deps.customers.reduce((n, wallet) => n + wallet.customersApproveWaiting(), 0) });
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: deps.faults.snapshot() });
  });

  router.post('/faults', express.json({ limit: '16kb' }), (req, res) => {
    const parsed = deps.faults.request.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'body';
      invalid(res, `${field}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    deps.faults.set(parsed.data);
    res.json({ faults: deps.faults.snapshot() });
  });

  router.delete('/faults', (req, res) => {
    const filter = walletQuery(req, res);
    if (filter === undefined) return;
    deps.faults.reset(filter.wallet);
    res.json({ faults: deps.faults.snapshot() });
  });

  const badJson: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    invalid(res, error instanceof Error ? error.message : 'bad request');
  };
  router.use(badJson);
  return router;
}

function invalid(res: Response, message: string): void {
  res.status(400).json({ error: { code: 'INVALID_REQUEST', message } });
}

function queryString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
