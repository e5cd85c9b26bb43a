import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsServerOptions {
  readonly host: string;
  readonly port: number;
  /** The app's metrics (prom-client's text exposition). */
  readonly metrics: () => Promise<string>;
  /**
   * Temporal's SDK metrics (workers/sdk-metrics.ts), appended to every scrape so the worker is one target on one port.
   * Their families (`temporal_*`) never share a name with prom-client's.
   */
  readonly sdkMetrics?: () => string;
}

export interface RunningMetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The worker's `GET /metrics` (the worker has no HTTP API of its own). */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<RunningMetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    void scrape(opts).then(
      (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`# metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function scrape(opts: MetricsServerOptions): Promise<string> {
  const own = await opts.metrics();
  if (!opts.sdkMetrics) return own;
  return `${own.endsWith('\n') ? own : `${own}\n`}${opts.sdkMetrics()}`;
}
