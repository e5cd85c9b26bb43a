import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxConfig } from './config.js';
import { createSandboxApp, type SandboxAppOptions } from './app.js';

export interface RunningSandbox {
  readonly server: Server;
  /** e.g. `http://127.0.0.1:4000` (the real port when started on port 0). */
  readonly baseUrl: string;
  readonly port: number;
  /** Stops accepting, closes connections, then closes the sandbox (timers, callbacks, state). */
  close(): Promise<void>;
}

/** Starts the sandbox on `config.host:config.port` (port 0 picks a free one). */
export async function startSandbox(config: SandboxConfig, options: SandboxAppOptions = {}): Promise<RunningSandbox> {
  const sandbox = createSandboxApp(config, options);
  const server = createServer(sandbox.app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    baseUrl: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 2000);
        await closed;
        clearTimeout(force);
        await sandbox.close();
      })()),
  };
}
