import { createServer } from 'node:net';

/** A port free right now on loopback, for servers that must know each other's address before they start. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free port at or above `from` and below 32768, not in `taken` (which it joins): the real Temporal server keeps
 * its services' membership ports in a PostgreSQL smallint, and ephemeral ports start above that.
 */
export async function freeLowPort(from: number, taken: Set<number>): Promise<number> {
  for (let port = from; port < 32768; port++) {
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((settle) => {
      const server = createServer();
      server.once('error', () => settle(false));
      server.listen(port, '127.0.0.1', () => server.close(() => settle(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${from} and 32767`);
}
