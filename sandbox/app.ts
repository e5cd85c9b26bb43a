import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { SandboxConfig } from './config.js';
import { createControlRouter } from './control.js';
import { createShopRouter } from './shop/router.js';
import { FaultRegistry } from './faults.js';
import { indexPage } from './index-page.js';
import { Ledger } from './ledger.js';
import { createSandboxLogger } from './logger.js';
import { maskPhonesIn } from './mask.js';
import { createWalletSimulators } from './simulators.js';
import { SandboxState, STATE_FILE_NAME } from './state.js';
import { StateStore } from './store.js';
import { TimerSet } from './timers.js';

export interface SandboxAppOptions {
  /** Save and restore state under `DATA_DIR` (default `true`); `false` keeps everything in memory (tests). */
  readonly persist?: boolean;
  readonly logger?: Logger;
}

export interface SandboxApp {
  readonly app: Express;
  /** Cancels every timer, aborts callbacks in flight (they resume on the next start) and saves the state. */
  close(): Promise<void>;
}

/**
 * The sandbox as an Express app, apart from any listener (tests run it in-process on port 0): a simulator for each of
 * `config.wallets` (loadSandboxConfig's list) at `/<callbackPath>`, the shop, the control API, the index page.
 */
export function createSandboxApp(config: SandboxConfig, options: SandboxAppOptions = {}): SandboxApp {
  const logger = options.logger ?? createSandboxLogger(config.logLevel);
  const store = new StateStore({
    file: join(config.dataDir, STATE_FILE_NAME),
    schema: SandboxState,
    persist: options.persist ?? true,
    logger,
  });
  const initial = store.load();
  const changed = (): void => store.changed();
  const timers = new TimerSet((error, key) => logger.error({ err: error, timer: key }, 'sandbox timer failed'));
  const ledgerNames = config.wallets.map((d) => d.ledgerName);
  const faults = new FaultRegistry(ledgerNames);
  const ledger = new Ledger(initial?.ledger, changed);
  const wallets = createWalletSimulators({ config, ledger, timers, faults, logger, onChange: changed, slices: initial?.wallets });
  store.setSnapshot(() => ({ version: 2, ledger: ledger.toJSON(), wallets: wallets.toJSON() }));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(logger));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/', (_req, res) => {
    res.type('html').send(indexPage(config.wallets));
  });
  app.use(wallets.router);
  app.use(createShopRouter({ config, logger })); // the demo shop at /shop, and /sandbox/merchant/*
  app.use('/sandbox', createControlRouter({ wallets: ledgerNames, ledger, faults, callbackSources: wallets.callbackSources, customers: wallets.customers }));
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${maskPhonesIn(req.path)}` } });
  });
  const lastResort: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    logger.error({ err: error }, 'sandbox: unexpected error');
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
  };
  app.use(lastResort);

  let closing: Promise<void> | undefined;
  return {
    app,
    close: () =>
      (closing ??= (async () => {
        timers.close();
        await wallets.close();
        await store.close();
      })()),
  };
}

/** One JSON line per request; phone numbers in URLs (the phone page) are masked. */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = { method: req.method, url: maskPhonesIn(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      // The phone page polls every 2 s: keep that out of the info log.
      if (req.method !== 'GET') logger.info(entry, 'request');
      else logger.debug(entry, 'request');
    });
    next();
  };
}
