/**
 * `npm run sandbox`: the wallet simulators on SANDBOX_HOST:SANDBOX_PORT (default 127.0.0.1:4000).
 * Stops gracefully on SIGTERM / SIGINT: no new connections, timers cancelled, state saved.
 */
import { loadSandboxConfig, SandboxConfigError } from './config.js';
import { startSandbox } from './listen.js';
import { createSandboxLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadSandboxConfig(process.env);
  } catch (error) {
    if (error instanceof SandboxConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createSandboxLogger(config.logLevel);
  const sandbox = await startSandbox(config, { logger, persist: config.persist });
  logger.info(
    {
      url: sandbox.baseUrl,
      wallets: Object.fromEntries(config.wallets.map((d) => [d.ledgerName, `${config.publicUrl ?? sandbox.baseUrl}/${d.callbackPath}`])),
      gatewayCallbacks: `${config.gatewayBaseUrl}/callbacks/<wallet>`,
      dataDir: config.dataDir,
    },
    'sandbox listening',
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'sandbox stopping');
    const force = setTimeout(() => {
      logger.error('sandbox did not stop within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    sandbox.close().then(
      () => {
        logger.info('sandbox stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'sandbox stopped with an error');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
