import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The merchant's notification endpoint (dbProcessUrl) for the benchmark: acknowledges at once and records when each
 * transaction's final status arrived, so a driver can await "notification received" for its tXid.
 */
export class MerchantSink {
  readonly #waiting = new Map<string, (at: number) => void>();
  readonly #arrived = new Map<string, number>();
  #server: Server | undefined;
  url = '';
  received = 0;

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        const fields = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const tXid = fields.get('tXid');
        res.writeHead(200).end('OK');
        if (!tXid || fields.get('status') !== '0') return;
        this.received++;
        const waiter = this.#waiting.get(tXid);
        if (waiter) {
          this.#waiting.delete(tXid);
          waiter(at);
        } else {
          this.#arrived.set(tXid, at);
        }
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** When the paid notification for `tXid` arrived (performance.now() time), waiting for it up to `timeoutMs`. */
  paid(tXid: string, timeoutMs: number): Promise<number> {
    const already = this.#arrived.get(tXid);
    if (already !== undefined) {
      this.#arrived.delete(tXid);
      return Promise.resolve(already);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(tXid);
        reject(new Error(`no paid notification for ${tXid} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(tXid, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => resolve());
    });
  }
}
