/**
 * The operations listener (issue 22, finding 3) in-process, with stub clients (no Temporal): which app serves
 * `/ops` and `/metrics`, the operator view's allow-list, and the reconciliation run's body and one-at-a-time answer.
 * test/e2e/ops-listener.test.ts checks the same against the real stack.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { createApiServer } from '../../api/http-server.js';
import { createOpsApp } from '../../api/ops/app.js';
import { operatorPaymentView } from '../../api/ops/payment-view.js';
import { ReconciliationRunBody } from '../../api/ops/reconciliation-run.schema.js';
import { OPERATOR_RECONCILIATION_ID, ReconciliationAlreadyRunning } from '../../api/reconciliation-client.js';
import { loadConfig } from '../../domain/config.js';
import { MerchantDirectory } from '../../domain/merchants.js';
import type { ReconciliationReport } from '../../domain/reconciliation.js';
import { iMidOfTxId } from '../../domain/tx-id.js';
import { createLogger } from '../../platform/logger.js';
import { GatewayMetrics } from '../../platform/metrics.js';
import { WalletCatalog } from '../../wallets/catalog.js';
import type { PaymentView } from '../../workflows/messages.js';

/** A tXid of the sandbox merchant's shape, whatever its length (domain/tx-id.ts decides). */
const TXID = Array.from({ length: 30 }, (_, n) => `IONPAYTEST05${'A'.repeat(n)}`).find((t) => iMidOfTxId(t, ['IONPAYTEST'])) ?? 'none';

/** A payment registered with every customer field NICEPAY lets a merchant send, and one field nobody knows yet. */
function paymentView(): PaymentView {
  const registration = {
    iMid: 'IONPAYTEST',
    merchantName: 'Kopi Senja',
    referenceNo: 'ORD-UNIT-1',
    payMethod: '05',
    mitraCd: 'OVOE',
    currency: 'IDR',
    amt: 15000,
    goodsNm: 'Kemeja Batik Sentinel',
    billingNm: 'Siti Sentinel',
    billingPhone: '081277770000',
    billingEmail: 'siti.sentinel@example.org',
    dbProcessUrl: 'https://merchant.example.com/nicepay/notify?secret=merchant-query-secret',
    callBackUrl: 'https://merchant.example.com/thanks?order=customer-order-secret',
    description: 'Hadiah untuk Siti Sentinel',
    extra: { deliveryNm: 'Agus Sentinel', deliveryPhone: '081298761234', deliveryAddr: 'Jl. Melati Sentinel 17', userIP: '203.0.113.77', cartData: '{"item":[{"goods_name":"Batik"}]}' },
    // A field the registration may carry one day: hidden until someone allows it.
    customerNik: '3174000000000001',
  } as const;
  return {
    tXid: TXID,
    runId: 'run-1',
    registration,
    fingerprint: 'f'.repeat(64),
    flow: 'push',
    notifyRetryHours: 48,
    status: 0,
    reqDt: '20261206',
    reqTm: '120000',
    transDt: '20261206',
    transTm: '120001',
    cancelAmt: 5000,
    callBackUrl: registration.callBackUrl,
    redirectUrl: 'https://wallet.example.com/checkout/capability-token-secret',
    providerRef: 'OVO-REF-1',
    history: [{ status: 3, at: '2026-12-06T12:00:00.000Z', reason: 'registered' }],
    notifications: [{ seq: 1, state: 'delivered', status: 0, cancelAmt: 0, attempts: [{ at: '2026-12-06T12:00:02.000Z', httpStatus: 200, durationMs: 12 }] }],
    audit: [],
    cancellations: [{ key: 'k1', cancelType: 'partial', amount: 5000, reason: 'refund asked by Siti Sentinel', at: '2026-12-06T12:05:00.000Z', outcome: { outcome: 'done', status: 0, cancelAmt: 5000 } }],
  };
}

const CUSTOMER_VALUES = [
  'Kemeja Batik',
  'Siti Sentinel',
  '081277770000',
  'siti.sentinel@example.org',
  'merchant-query-secret',
  'customer-order-secret',
  'Hadiah',
  'Agus Sentinel',
  '081298761234',
  'Jl. Melati',
  '203.0.113.77',
  'goods_name',
  '3174000000000001',
  'capability-token-secret',
];

describe('operator payment view', () => {
  test('built from an allow-list: no customer value, no merchant free text, nor any field not allowed, whatever the registration carries', () => {
    const text = JSON.stringify(operatorPaymentView(paymentView()));
    for (const value of CUSTOMER_VALUES) assert.equal(text.includes(value), false, `shows ${value}: ${text}`);
    assert.equal(/extra|customerNik|fingerprint|redirectUrl|callBackUrl|description|goodsNm/.test(text), false, text);
  });

  test('keeps what an operator needs: ids, amounts, statuses, the masked phone, where notifications go, every attempt and cancel', () => {
    const view = operatorPaymentView(paymentView());
    assert.deepEqual(view.registration, {
      iMid: 'IONPAYTEST',
      merchantName: 'Kopi Senja',
      referenceNo: 'ORD-UNIT-1',
      payMethod: '05',
      mitraCd: 'OVOE',
      currency: 'IDR',
      amt: 15000,
      billingPhone: '0812****0000',
      dbProcessOrigin: 'https://merchant.example.com',
    });
    assert.deepEqual([view.tXid, view.statusName, view.cancelAmt, view.providerRef], [TXID, 'PAID', 5000, 'OVO-REF-1']);
    assert.deepEqual(view.notifications, [{ seq: 1, state: 'delivered', status: 0, cancelAmt: 0, attempts: [{ at: '2026-12-06T12:00:02.000Z', httpStatus: 200, durationMs: 12 }] }]);
    assert.deepEqual(view.cancellations, [{ key: 'k1', at: '2026-12-06T12:05:00.000Z', cancelType: 'partial', amount: 5000, outcome: { outcome: 'done', resultCd: '0000', resultMsg: 'SUCCESS', status: 0, cancelAmt: 5000 } }]);
  });
});

describe('reconciliation run body', () => {
  test('defaults to 24 h; the lookback is bounded (0 < h ≤ 168), the margin a whole number of minutes 0–1440 inside it', () => {
    assert.deepEqual(ReconciliationRunBody.parse({}), { lookbackHours: 24 });
    assert.deepEqual(ReconciliationRunBody.parse({ lookbackHours: 168, settleMarginMinutes: 1440 }), { lookbackHours: 168, settleMarginMinutes: 1440 });
    assert.deepEqual(ReconciliationRunBody.parse({ lookbackHours: 0.5, settleMarginMinutes: 0 }), { lookbackHours: 0.5, settleMarginMinutes: 0 });
    const refused: [unknown, string][] = [
      [{ lookbackHours: 0 }, 'lookbackHours'],
      [{ lookbackHours: 168.01 }, 'lookbackHours'],
      [{ lookbackHours: Number.POSITIVE_INFINITY }, 'lookbackHours'],
      [{ lookbackHours: '24' }, 'lookbackHours'],
      [{ settleMarginMinutes: 1441 }, 'settleMarginMinutes'],
      [{ settleMarginMinutes: 0.5 }, 'settleMarginMinutes'],
      [{ lookbackHours: 1 }, 'settleMarginMinutes'],
    ];
    for (const [body, field] of refused) {
      const parsed = ReconciliationRunBody.safeParse(body);
      assert.equal(parsed.success, false, JSON.stringify(body));
      assert.equal(parsed.error?.issues[0]?.path[0], field, JSON.stringify(body));
    }
    assert.equal(ReconciliationRunBody.safeParse({ lookbackHours: 24, lookback: 1 }).success, false, 'unknown keys are refused');
  });
});

describe('which listener serves what', () => {
  const servers: Server[] = [];
  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
  // As api/server.ts loads it: the API's role, no signing key.
  const config = loadConfig({ LOG_LEVEL: 'silent' }, { role: 'api' });
  const auth = { authorization: `Bearer ${config.operatorToken}` };
  let running: Promise<ReconciliationReport> | undefined;
  let release: ((report: ReconciliationReport) => void) | undefined;
  const deps: ApiDeps = {
    config,
    merchants: new MerchantDirectory(config.merchants),
    wallets: new WalletCatalog(config.wallets),
    payments: {
      register: () => Promise.reject(new Error('not used')),
      view: () => Promise.resolve(paymentView()),
      registered: () => Promise.reject(new Error('not used')),
      awaitFinal: () => Promise.reject(new Error('not used')),
      submit: () => Promise.reject(new Error('not used')),
      deliverCallback: () => Promise.reject(new Error('not used')),
      cancel: () => Promise.reject(new Error('not used')),
      resendNotification: () => Promise.reject(new Error('not used')),
    } as unknown as ApiDeps['payments'],
    links: {} as ApiDeps['links'],
    // As ReconciliationClient does with Temporal: a second run while one runs is refused.
    reconciliation: {
      latest: () => Promise.resolve(undefined),
      runNow: () => {
        if (running) return Promise.reject(new ReconciliationAlreadyRunning(OPERATOR_RECONCILIATION_ID));
        running = new Promise<ReconciliationReport>((resolve) => (release = resolve)).finally(() => (running = undefined));
        return running;
      },
    },
    health: () => Promise.resolve({ ok: true, temporal: 'ok', workers: 1 }),
    logger: createLogger('ops-unit-test', 'silent'),
    metrics: new GatewayMetrics('api'),
  };
  async function listen(app: express.Express): Promise<string> {
    const server = createApiServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  test('the public app answers 404 on /ops and /metrics even with the operator token; the operations app serves them', async () => {
    const [api, ops] = [await listen(createApp(deps)), await listen(createOpsApp(deps))];
    for (const path of [`/ops/payments/${TXID}`, `/ops/payments/${TXID}/notifications`, '/ops/reconciliation/latest', '/metrics']) {
      const res = await fetch(`${api}${path}`, { headers: auth });
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { error: 'not found' }, path);
    }
    assert.equal((await fetch(`${ops}/ops/payments/${TXID}`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${ops}/ops/payments/${TXID}`)).status, 401);
    assert.equal((await fetch(`${ops}/ops/payments/${TXID}`, { headers: { authorization: `Bearer ${config.operatorToken}x` } })).status, 401);
    const metrics = await fetch(`${ops}/metrics`);
    assert.equal(metrics.status, 200, 'no token on the scrape');
    assert.match(await metrics.text(), /ewallet_api_requests_total/);
    assert.equal((await fetch(`${ops}/health`)).status, 404);
    assert.equal((await fetch(`${ops}/nicepay/direct/v2/inquiry`, { method: 'POST' })).status, 404);
  });

  test('two concurrent reconciliation runs: the first runs and answers its report, the second gets 409 at once', async () => {
    const ops = await listen(createOpsApp(deps));
    const post = (body: string) => fetch(`${ops}/ops/reconciliation/run`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    const first = post('{"lookbackHours":2}');
    while (!release) await new Promise((r) => setTimeout(r, 10));
    const second = await post('{"lookbackHours":3}');
    assert.equal(second.status, 409);
    assert.deepEqual(await second.json(), { error: new ReconciliationAlreadyRunning(OPERATOR_RECONCILIATION_ID).message, running: OPERATOR_RECONCILIATION_ID });
    const report: ReconciliationReport = { from: 'a', to: 'b', checked: 0, pending: 0, matched: 0, differences: [] };
    release(report);
    const answered = await first;
    assert.equal(answered.status, 200);
    assert.deepEqual(await answered.json(), report);
    const bad = await post('{"lookbackHours":1000}');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: 'invalid lookbackHours: Too big: expected number to be <=168', field: 'lookbackHours' });
  });
});
