import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createApiServer } from '../../api/http-server.js';
import { LinksClient } from '../../api/links-client.js';
import { createOpsApp } from '../../api/ops/app.js';
import { PaymentsClient } from '../../api/payments-client.js';
import { OPERATOR_RECONCILIATION_ID, ReconciliationClient } from '../../api/reconciliation-client.js';
import { MerchantDirectory, sandboxMerchant } from '../../domain/merchants.js';
import { createLogger } from '../../platform/logger.js';
import { ensureReconciliationSchedule, RECONCILIATION_SCHEDULE_ID } from '../../workers/schedules.js';
import { WalletCatalog } from '../../wallets/catalog.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/nicepay-client.js';

/**
 * The operations listener (CONTRACT §1, issue 22 finding 3): `/ops/*` and `/metrics` on `OPS_HOST`:`OPS_PORT` and
 * nowhere else; operator views without customer data; one reconciliation at a time, over a bounded window.
 */
describe('operations listener', () => {
  const e2e = useE2eStack();
  const auth = () => ({ authorization: `Bearer ${e2e.stack.config.operatorToken}` });
  const json = { 'content-type': 'application/json' };

  test('the public API answers its 404 on /ops and /metrics, even with the operator token; the operations listener serves them', async () => {
    const { apiUrl, opsUrl } = e2e.stack;
    assert.notEqual(new URL(opsUrl).port, new URL(apiUrl).port);
    const reg = await e2e.client.register('081200003456');
    assert.equal(reg.resultCd, '0000', reg.resultMsg);
    const tXid = reg.tXid ?? '';

    const onApi: [string, string][] = [
      ['GET', `/ops/payments/${tXid}`],
      ['GET', `/ops/payments/${tXid}/notifications`],
      ['POST', `/ops/payments/${tXid}/notifications/resend`],
      ['GET', '/ops/reconciliation/latest'],
      ['POST', '/ops/reconciliation/run'],
      ['GET', '/ops'],
      ['GET', '/metrics'],
    ];
    for (const [method, path] of onApi) {
      const res = await fetch(`${apiUrl}${path}`, { method, headers: { ...auth(), ...json }, ...(method === 'POST' ? { body: '{}' } : {}) });
      assert.equal(res.status, 404, `${method} ${path} on the public API`);
      assert.deepEqual(await res.json(), { error: 'not found' }, `${method} ${path} on the public API`);
    }

    const view = await fetch(`${opsUrl}/ops/payments/${tXid}`, { headers: auth() });
    assert.equal(view.status, 200);
    assert.equal(((await view.json()) as { tXid: string }).tXid, tXid);
    const anonymous = await fetch(`${opsUrl}/ops/payments/${tXid}`);
    assert.equal(anonymous.status, 401, 'the operator token is still needed on the operations listener');
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
    const metrics = await fetch(`${opsUrl}/metrics`);
    assert.equal(metrics.status, 200, 'Prometheus scrapes the operations listener without a token');
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await metrics.text(), /ewallet_api_requests_total\{[^}]*route="\/nicepay\/direct\/v2\/registration"/);
    // And the operations listener is nothing else.
    for (const path of ['/health', '/nicepay/direct/v2/inquiry', '/docs/openapi.json', '/callbacks/ovo']) {
      assert.equal((await fetch(`${opsUrl}${path}`)).status, 404, `${path} on the operations listener`);
    }
  });

  test('an operator view of a payment holds no customer field: names, e-mail, phone, addresses, delivery, userIP, cart, free text', async () => {
    const phone = '081277770000';
    const customer = {
      billingNm: 'Siti Sentinel Rahmawati',
      billingEmail: 'siti.sentinel@example.org',
      billingAddr: 'Jl. Kenanga Sentinel 9',
      billingCity: 'Kota Sentinel Billing',
      billingPostCd: 'PC-SENTINEL-B',
      deliveryNm: 'Agus Sentinel Kurir',
      deliveryPhone: '081298761234',
      deliveryAddr: 'Jl. Melati Sentinel 17',
      deliveryCity: 'Bandung Sentinel',
      deliveryPostCd: 'PC-SENTINEL-D',
      userIP: '203.0.113.77',
      userSessionID: 'sess-sentinel-4711',
      userAgent: 'SentinelBrowser/9.9',
      cartData: '{"count":1,"item":[{"goods_name":"Kemeja Batik Sentinel","goods_amt":"15000"}]}',
      description: 'Hadiah ulang tahun untuk Siti Sentinel',
      goodsNm: 'Kemeja Batik Sentinel Ukuran L',
    };
    const cancelMsg = 'refund requested by Siti Sentinel by phone';
    const reg = await e2e.client.register(phone, customer);
    assert.equal(reg.resultCd, '0000', reg.resultMsg);
    const tXid = reg.tXid ?? '';
    assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    await e2e.stack.notified(tXid, '0');
    const partial = await e2e.client.cancel(reg, '2', 5000, { cancelMsg });
    assert.equal(partial.resultCd, '0000', partial.resultMsg);

    const secrets = [phone, phone.slice(1), ...Object.values(customer), cancelMsg, 'Kemeja Batik', 'goods_name'];
    for (const path of ['', '/notifications']) {
      const res = await fetch(`${e2e.stack.opsUrl}/ops/payments/${tXid}${path}`, { headers: auth() });
      assert.equal(res.status, 200);
      const text = await res.text();
      for (const value of secrets) assert.equal(text.includes(value), false, `${path || 'the view'} shows ${value}: ${text}`);
      assert.equal(/"extra"|billingNm|billingEmail|delivery|userIP|cartData|description|goodsNm|callBackUrl|redirectUrl|fingerprint/.test(text), false, `no customer field names either: ${text}`);
    }
    const resend = await fetch(`${e2e.stack.opsUrl}/ops/payments/${tXid}/notifications/resend`, { method: 'POST', headers: auth() });
    assert.equal(resend.status, 202);
    const resent = await resend.text();
    for (const value of secrets) assert.equal(resent.includes(value), false, `the resend answer shows ${value}`);

    // What an operator does need is still there.
    const view = (await (await fetch(`${e2e.stack.opsUrl}/ops/payments/${tXid}`, { headers: auth() })).json()) as {
      statusName: string;
      cancelAmt: number;
      registration: Record<string, unknown>;
      notifications: { state: string }[];
      cancellations: { cancelType: string; amount: number; outcome?: { resultCd: string } }[];
      history: { status: number }[];
    };
    assert.equal(view.statusName, 'PAID');
    assert.equal(view.cancelAmt, 5000);
    assert.deepEqual(view.registration, {
      iMid: sandboxMerchant.iMid,
      merchantName: view.registration.merchantName,
      referenceNo: reg.referenceNo,
      payMethod: '05',
      mitraCd: 'OVOE',
      currency: 'IDR',
      amt: 15000,
      billingPhone: '0812****0000',
      dbProcessOrigin: new URL(e2e.stack.merchant.url).origin,
    });
    assert.equal(typeof view.registration.merchantName, 'string');
    assert.equal(view.notifications[0]?.state, 'delivered');
    assert.deepEqual(view.cancellations.map((c) => [c.cancelType, c.amount, c.outcome?.resultCd]), [['partial', 5000, '0000']]);
    assert.deepEqual(view.history.map((h) => h.status).slice(-1), [0]);
  });

  test('a reconciliation window out of bounds or misspelt is refused with 400 naming the field, and nothing runs', async () => {
    const run = `${e2e.stack.opsUrl}/ops/reconciliation/run`;
    const cases: [body: string, field: string][] = [
      ['{"lookbackHours":0}', 'lookbackHours'],
      ['{"lookbackHours":-1}', 'lookbackHours'],
      ['{"lookbackHours":169}', 'lookbackHours'],
      ['{"lookbackHours":1e9}', 'lookbackHours'],
      ['{"lookbackHours":"24"}', 'lookbackHours'],
      ['{"lookbackHours":null}', 'lookbackHours'],
      ['{"settleMarginMinutes":-1}', 'settleMarginMinutes'],
      ['{"settleMarginMinutes":1.5}', 'settleMarginMinutes'],
      ['{"settleMarginMinutes":1441}', 'settleMarginMinutes'],
      // The default margin is 60 minutes: an hour's lookback leaves an empty window.
      ['{"lookbackHours":1}', 'settleMarginMinutes'],
      ['{"lookbackHours":2,"settleMarginMinutes":120}', 'settleMarginMinutes'],
      ['{"lookbackHour":24}', 'lookbackHour'],
      ['[]', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await fetch(run, { method: 'POST', headers: { ...auth(), ...json }, body });
      const answer = (await res.json()) as { error?: string; field?: string };
      assert.equal(res.status, 400, `${body}: ${JSON.stringify(answer)}`);
      assert.equal(answer.field, field, body);
      assert.ok(answer.error?.includes(field), `${body}: ${answer.error}`);
    }
    for (const body of ['not json', 'lookbackHours=1000']) {
      const res = await fetch(run, { method: 'POST', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body });
      assert.equal(res.status, 400, body);
    }
    const anonymous = await fetch(run, { method: 'POST', headers: json, body: '{"lookbackHours":24}' });
    assert.equal(anonymous.status, 401);
    await assert.rejects(e2e.stack.client.workflow.getHandle(OPERATOR_RECONCILIATION_ID).describe(), WorkflowNotFoundError, 'no run was started');
  });

  describe('one reconciliation at a time', () => {
    const servers: Server[] = [];
    after(async () => {
      for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    /** Another API instance's operations listener, whose runs go to `taskQueue`. */
    async function opsInstance(taskQueue: string): Promise<string> {
      const { config, client } = e2e.stack;
      const app = createOpsApp({
        config,
        merchants: new MerchantDirectory(config.merchants),
        wallets: new WalletCatalog(config.wallets),
        payments: new PaymentsClient(client),
        links: new LinksClient(client),
        reconciliation: new ReconciliationClient(client, taskQueue),
        health: () => Promise.resolve({ ok: true, temporal: 'ok', workers: 1 }),
        logger: createLogger('ops-test', 'silent'),
      });
      const server = createApiServer(app);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
    const runOn = (base: string, body = '{"lookbackHours":2,"settleMarginMinutes":0}') =>
      fetch(`${base}/ops/reconciliation/run`, { method: 'POST', headers: { ...auth(), ...json }, body });

    test('two concurrent runs: the first runs, the second (on this or another API instance) gets 409 naming the running one', async () => {
      // Runs go to a task queue nobody polls: the first stays running for as long as the test needs.
      const stalled = await opsInstance(`nobody-polls-${randomUUID()}`);
      const handle = e2e.stack.client.workflow.getHandle(OPERATOR_RECONCILIATION_ID);
      const [first, second] = [runOn(stalled), runOn(stalled)];
      // The one that started waits for its report; the other is answered at once.
      const refused = await Promise.any([first, second]);
      assert.equal(refused.status, 409);
      const body = (await refused.json()) as { error: string; running: string };
      assert.match(body.error, /already running/);
      assert.equal(body.running, OPERATOR_RECONCILIATION_ID);
      assert.equal((await handle.describe()).status.name, 'RUNNING');

      // The stack's own API instance refuses too: the guard is Temporal's, not one process's.
      const elsewhere = await runOn(e2e.stack.opsUrl);
      assert.equal(elsewhere.status, 409);

      await handle.terminate('test over');
      const ended = await Promise.all([first, second]);
      assert.deepEqual(ended.map((a) => a.status).sort(), [409, 500], 'the terminated run answers an error, never a report');
      // Once it is over, the next run runs (on the stack's worker) and answers its report.
      const next = await runOn(e2e.stack.opsUrl);
      assert.equal(next.status, 200);
      const report = (await next.json()) as { from: string; to: string; checked: number; differences: unknown[] };
      assert.equal(Date.parse(report.to) - Date.parse(report.from), 2 * 3_600_000);
      assert.equal(typeof report.checked, 'number');
    });

    test('while the daily scheduled run runs (here triggered by hand), an operator run gets 409 naming it', async () => {
      const { client } = e2e.stack;
      const idleQueue = `nobody-polls-${randomUUID()}`;
      await ensureReconciliationSchedule(client, { taskQueue: idleQueue });
      const schedule = client.schedule.getHandle(RECONCILIATION_SCHEDULE_ID);
      try {
        await schedule.trigger();
        const daily = await waitFor(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId, 'the daily run started');
        const res = await runOn(e2e.stack.opsUrl);
        assert.equal(res.status, 409);
        assert.equal(((await res.json()) as { running: string }).running, daily);
        await client.workflow.getHandle(daily).terminate('test over');
      } finally {
        await schedule.delete();
      }
    });
  });

  test('api/server.ts listens on API_PORT and OPS_PORT, serves /ops and /metrics on the second only, and stops both on SIGTERM', { timeout: 60_000 }, async () => {
    const [apiPort, opsPort] = [await freePort(), await freePort()];
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const server = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      cwd: root,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, API_PORT: String(apiPort), API_HOST: '127.0.0.1', OPS_PORT: String(opsPort), TEMPORAL_ADDRESS: e2e.stack.env.address, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${opsPort}/metrics`).catch(() => undefined))?.status === 200, 'the operations listener', 30_000);
      await waitFor(async () => (await fetch(`http://127.0.0.1:${apiPort}/health`).catch(() => undefined))?.status === 200, 'the API healthy', 30_000);
      assert.equal((await fetch(`http://127.0.0.1:${apiPort}/metrics`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${apiPort}/ops/reconciliation/latest`, { headers: auth() })).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${opsPort}/ops/payments/IONPAYTEST05NOSUCHTXID000000`, { headers: auth() })).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${opsPort}/ops/payments/IONPAYTEST05NOSUCHTXID000000`)).status, 401);
      server.kill('SIGTERM');
      assert.equal(await exited, 0, 'a graceful exit');
      for (const port of [apiPort, opsPort]) await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`), `nothing listens on ${port} any more`);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
