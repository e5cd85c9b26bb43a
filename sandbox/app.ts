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
import { createOvoWallet } from './ovo/wallet.js';
import { createRedirectWallets } from './redirect-wallets.js';
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

/** The sandbox as an Express app, apart from any listener (tests run it in-process on port 0). */
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
  const faults = new FaultRegistry();
  const ledger = new Ledger(initial?.ledger, changed);
  const shutdown = new AbortController();
  const ovo = createOvoWallet({ config, ledger, timers, faults, logger, onChange: changed, signal: shutdown.signal, initial: initial?.ovo });
  const redirect = createRedirectWallets({ config, ledger, timers, faults, logger, onChange: changed, initial }); // DANA, ShopeePay, LinkAja, AstraPay
  store.setSnapshot(() => ({ version: 1, ledger: ledger.toJSON(), ovo: ovo.toJSON(), ...redirect.toJSON() }));
  ovo.simulator.resume();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(logger));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/', (_req, res) => {
    res.type('html').send(indexPage());
  });
  app.use('/ovo', ovo.router); // OVO's SNAP API under /ovo/OVOSNAP, the phone page at /ovo/phone
  app.use(redirect.router); // /dana, /shopeepay, /linkaja, /astrapay
  app.use(createShopRouter({ config, logger })); // the demo shop at /shop, and /sandbox/merchant/*
  app.use('/sandbox', createControlRouter({ ledger, faults, callbackSources: [ovo.simulator, ...redirect.callbackSources], customers: [ovo.simulator] }));
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
        shutdown.abort();
        timers.close();
        await ovo.simulator.close();
        await redirect.close();
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
