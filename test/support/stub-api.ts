import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { createApiServer } from '../../api/http-server.js';
import { loadConfig, type GatewayConfig } from '../../domain/config.js';
import { MerchantDirectory } from '../../domain/merchants.js';
import { createLogger } from '../../platform/logger.js';
import { WalletCatalog } from '../../wallets/catalog.js';
import { NicepayTestClient } from './nicepay-client.js';

/** A client whose every method but those given answers "nothing there": the routes under test need no more. */
function stub<T extends object>(methods: Partial<T>): T {
  return new Proxy(methods, { get: (target, key) => (key in target ? target[key as keyof T] : () => Promise.resolve(undefined)) }) as T;
}

export interface StubApi {
  readonly port: number;
  readonly url: string;
  /** How many registrations reached the (stub) engine. */
  registrations(): number;
  /** The sandbox merchant, notified at a port nothing listens on (the engine is a stub: nothing is notified). */
  readonly client: NicepayTestClient;
  close(): Promise<void>;
}

/**
 * The API's app behind its real HTTP server (api/http-server.ts), with stub engine clients instead of Temporal: for
 * tests of what the API does before any business state is touched (admission, field checks). `configure` may
 * change the loaded config (a production-mode one, say, without production's start-up checks).
 */
export async function startStubApi(env: Record<string, string>, configure: (c: GatewayConfig) => GatewayConfig = (c) => c): Promise<StubApi> {
  const config = configure(loadConfig({ LOG_LEVEL: 'silent', ...env }));
  let registrations = 0;
  const deps: ApiDeps = {
    config,
    merchants: new MerchantDirectory(config.merchants),
    wallets: new WalletCatalog(config.wallets),
    payments: stub<ApiDeps['payments']>({
      register: (input) => {
        registrations++;
        return Promise.resolve({ tXid: input.tXid, transDt: '20261206', transTm: '120000' });
      },
    }),
    links: stub<ApiDeps['links']>({}),
    health: () => Promise.resolve({ ok: true, temporal: 'ok', workers: 1 }),
    logger: createLogger('stub-api', 'silent'),
  };
  const server = createApiServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    registrations: () => registrations,
    client: new NicepayTestClient(url, 'http://127.0.0.1:9/notify', 'http://127.0.0.1:9/return'),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
