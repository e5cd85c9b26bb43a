import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Client } from '@temporalio/client';
import { createApp } from '../../api/app.js';
import { temporalHealth } from '../../api/health.js';
import { LinksClient } from '../../api/links-client.js';
import { PaymentsClient } from '../../api/payments-client.js';
import { MerchantDirectory } from '../../domain/merchants.js';
import { createLogger } from '../../platform/logger.js';
import { LazyNativeConnection } from '../../platform/lazy-native-connection.js';
import { WalletCatalog } from '../../wallets/catalog.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { freePort } from '../support/free-port.js';
import { NicepayTestClient, waitFor } from '../support/nicepay-client.js';

/** What merchants see when a wallet or the gateway's own engine is down: the outage codes of CONTRACT §2. */
describe('outages: wallet unreachable, wallet timing out, Temporal down, no worker', () => {
  const e2e = useE2eStack();

  const faults = (body: object | null) =>
    fetch(`${e2e.stack.sandbox.baseUrl}/sandbox/faults`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : { method: 'DELETE' });

  test('1001: OVO answers 500 to every try and has no record → "nothing was charged, safe to retry"; the retry pays', async () => {
    const reg = await e2e.client.register('081200000000');
    await faults({ wallet: 'OVO', failNext: 4 }); // the four create attempts; the status check then finds nothing
    const first = await e2e.client.payJson(reg);
    assert.deepEqual([first.resultCd, first.status], ['1001', '3'], first.resultMsg);
    assert.equal((await e2e.client.inquire(reg)).status, '3');
    await faults(null);
    const retry = await e2e.client.payJson(reg);
    assert.deepEqual([retry.resultCd, retry.status], ['0000', '4']);
    await waitFor(() => e2e.stack.merchant.for(reg.tXid ?? '').find((n) => n.fields.status === '0'), 'paid notification');
  });

  test('1004: OVO cannot be reached at all → "outcome not known yet"; the gateway keeps checking and settles it', async () => {
    const reg = await e2e.client.register('081200000000');
    await faults({ wallet: 'OVO', failNext: 1000 });
    const pay = await e2e.client.payJson(reg);
    assert.deepEqual([pay.resultCd, pay.status], ['1004', '9'], pay.resultMsg);
    await faults(null);
    // OVO never received the request: after the push window the gateway finds nothing, voids, and expires it.
    await waitFor(() => e2e.stack.merchant.for(reg.tXid ?? '').find((n) => n.fields.status === '5'), 'expired notification', 30_000);
  });

  test('9002 when Temporal is unreachable, and /health answers 503', async () => {
    const deadAddress = `127.0.0.1:${await freePort()}`;
    // The API's own kind of connection (platform/temporal.ts): native, connected on first use.
    const connection = new LazyNativeConnection({ address: deadAddress });
    const temporal = new Client({ connection });
    const app = createApp({
      config: e2e.stack.config,
      merchants: new MerchantDirectory(e2e.stack.config.merchants),
      wallets: new WalletCatalog(e2e.stack.config.wallets),
      payments: new PaymentsClient(temporal),
      links: new LinksClient(temporal),
      health: temporalHealth(temporal, 'default', 'ewallet-payments'),
      logger: createLogger('outage-test', 'silent'),
    });
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const dead = new NicepayTestClient(url, `${e2e.stack.merchant.url}/notify`, `${e2e.stack.merchant.url}/return`);
      const { status, body } = await dead.post('/nicepay/direct/v2/registration', dead.registrationFields('081200000000'));
      assert.equal(status, 200);
      assert.equal(body.resultCd, '9002', body.resultMsg);
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 503);
      assert.deepEqual(await health.json(), { status: 'unavailable', temporal: 'unreachable', workers: 0 });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close().catch(() => undefined);
    }
  });

  test('/health is 503 when no worker polls the task queue', async () => {
    const report = await temporalHealth(e2e.stack.env.client, 'default', 'a-queue-nobody-polls')();
    assert.deepEqual(report, { ok: false, temporal: 'ok', workers: 0 });
  });
});
