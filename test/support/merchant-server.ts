import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tokens } from '../../domain/merchant-token.js';
import { sandboxMerchant } from '../../domain/merchants.js';

export interface ReceivedNotification {
  readonly fields: Record<string, string>;
  readonly tokenValid: boolean;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
  readonly contentType: string;
}

/** A test merchant: receives dbProcessUrl notifications (answering with a scripted HTTP status) and browser returns. */
export class MerchantServer {
  readonly notifications: ReceivedNotification[] = [];
  readonly returns: URL[] = [];
  /** Answer per notification; the last repeats. */
  answers: number[] = [200];
  /** The answer to each transaction's first notification, when set (its retry comes 5 s later). */
  firstAnswer: number | undefined;

  #server: Server | undefined;
  url = '';

  static async start(): Promise<MerchantServer> {
    const self = new MerchantServer();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://merchant');
        if (req.method === 'POST' && url.pathname === '/notify') {
          const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
          const { merchantKey } = sandboxMerchant;
          const expected =
            fields.tXid === undefined && fields.mandateID !== undefined
              ? tokens.linkNotification({ iMid: fields.iMid ?? '', mandateID: fields.mandateID, linkStatus: fields.linkStatus ?? '', merchantKey })
              : tokens.notification({ iMid: fields.iMid ?? '', tXid: fields.tXid ?? '', amt: fields.amt ?? '', merchantKey });
          const first = fields.tXid !== undefined && self.for(fields.tXid).length === 0;
          const status = (first ? self.firstAnswer : undefined) ?? self.answers[Math.min(self.notifications.length, self.answers.length - 1)] ?? 200;
          self.notifications.push({ fields, tokenValid: expected === fields.merchantToken, contentType: req.headers['content-type'] ?? '', at: Date.now() });
          res.writeHead(status).end(status < 300 ? 'OK' : 'not now');
          return;
        }
        if (url.pathname === '/return') {
          self.returns.push(url);
          res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Back at the shop</h1>');
          return;
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self.#server = server;
    self.url = `http://127.0.0.1:${port}`;
    return self;
  }

  for(tXid: string): ReceivedNotification[] {
    return this.notifications.filter((n) => n.fields.tXid === tXid);
  }

  /** Account-link notifications of one mandate. */
  forMandate(mandateID: string): ReceivedNotification[] {
    return this.notifications.filter((n) => n.fields.tXid === undefined && n.fields.mandateID === mandateID);
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
