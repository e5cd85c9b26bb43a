import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { WorkflowInfo } from '@temporalio/workflow';
import { metricsMiddleware, metricsRoute, rememberReplyIds, requestIds } from '../../api/metrics-middleware.js';
import { GatewayMetrics, paymentMetricsSinks } from '../../platform/metrics.js';

/** The value of one sample: the line of `name` whose labels include every given pair. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('gateway metrics', () => {
  test('the registry holds every metric by purpose, with the process metrics and a service label', async () => {
    const metrics = new GatewayMetrics('worker');
    const text = await metrics.metrics();
    for (const name of [
      'ewallet_api_requests_total',
      'ewallet_api_request_duration_seconds',
      'ewallet_payments_final_total',
      'ewallet_payment_time_to_final_seconds',
      'ewallet_callbacks_total',
      'ewallet_callback_lateness_seconds',
      'ewallet_notification_attempts_total',
      'ewallet_wallet_calls_total',
      'ewallet_wallet_call_duration_seconds',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    assert.match(text, /service="worker"/);
  });

  test('recorders: final statuses, time to final (not for a refund), callbacks with lateness, notifications, wallet calls', async () => {
    const metrics = new GatewayMetrics('worker', { processMetrics: false });
    metrics.paymentFinal('DANA', 0, 12);
    metrics.paymentFinal('DANA', 2, 99);
    metrics.paymentFinal('not-a-wallet', 8, 3);
    metrics.callback('dana', 'accepted', new Date(Date.now() - 1500).toISOString());
    metrics.callback('ovo', 'refused');
    metrics.callback('ovo', 'accepted', 'not a date');
    metrics.notificationAttempt('payment', 'delivered');
    metrics.notificationAttempt('payment', 'failed');
    metrics.walletCall('OVOE', 'create', 'unavailable', 0.2);
    const text = await metrics.metrics();
    assert.equal(sample(text, 'ewallet_payments_final_total', { mitra_cd: 'DANA', status: 'PAID' }), 1);
    assert.equal(sample(text, 'ewallet_payments_final_total', { mitra_cd: 'DANA', status: 'REFUND' }), 1);
    assert.equal(sample(text, 'ewallet_payments_final_total', { mitra_cd: 'other', status: 'FAILED' }), 1);
    assert.equal(sample(text, 'ewallet_payment_time_to_final_seconds_count', { mitra_cd: 'DANA', status: 'PAID' }), 1);
    assert.equal(sample(text, 'ewallet_payment_time_to_final_seconds_sum', { mitra_cd: 'DANA', status: 'PAID' }), 12);
    assert.equal(sample(text, 'ewallet_payment_time_to_final_seconds_count', { status: 'REFUND' }), undefined);
    assert.equal(sample(text, 'ewallet_callbacks_total', { provider: 'dana', outcome: 'accepted' }), 1);
    assert.equal(sample(text, 'ewallet_callbacks_total', { provider: 'ovo', outcome: 'refused' }), 1);
    assert.equal(sample(text, 'ewallet_callback_lateness_seconds_count', { provider: 'dana' }), 1);
    assert.equal(sample(text, 'ewallet_callback_lateness_seconds_count', { provider: 'ovo' }), undefined);
    assert.ok((sample(text, 'ewallet_callback_lateness_seconds_sum', { provider: 'dana' }) ?? 0) >= 1.5);
    assert.equal(sample(text, 'ewallet_notification_attempts_total', { kind: 'payment', outcome: 'failed' }), 1);
    assert.equal(sample(text, 'ewallet_wallet_calls_total', { mitra_cd: 'OVOE', operation: 'create', outcome: 'unavailable' }), 1);
  });

  test('the workflow sink records a final status with the time since the workflow started; without metrics it does nothing', async () => {
    const metrics = new GatewayMetrics('worker', { processMetrics: false });
    const info = { startTime: new Date(Date.now() - 30_000) } as WorkflowInfo;
    await paymentMetricsSinks(metrics).paymentMetrics.finalStatus.fn(info, 'OVOE', 5);
    await paymentMetricsSinks().paymentMetrics.finalStatus.fn(info, 'OVOE', 5);
    assert.equal(paymentMetricsSinks().paymentMetrics.finalStatus.callDuringReplay, false);
    const text = await metrics.metrics();
    assert.equal(sample(text, 'ewallet_payments_final_total', { mitra_cd: 'OVOE', status: 'EXPIRED' }), 1);
    const seconds = sample(text, 'ewallet_payment_time_to_final_seconds_sum', { mitra_cd: 'OVOE', status: 'EXPIRED' }) ?? 0;
    assert.ok(seconds >= 30 && seconds < 40, String(seconds));
  });

  test('API requests are labelled by route pattern and NICEPAY resultCd: no tXid ever becomes a label value', async () => {
    const metrics = new GatewayMetrics('api', { processMetrics: false });
    const app = express();
    app.use(metricsMiddleware(metrics));
    app.get('/metrics', metricsRoute(metrics));
    const router = express.Router();
    router.get('/wait/:tXid', (req, res) => {
      res.json({ resultCd: '0000', tXid: req.params.tXid });
    });
    router.get('/page/:tXid', (_req, res) => {
      res.type('html').send('<p>wait</p>');
    });
    router.get('/odd', (_req, res) => {
      res.json({ resultCd: 'IONPAYTEST05abc' });
    });
    app.use('/nicepay', router);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const tXid = 'IONPAYTEST05SECRETSECRET1234';
      for (const path of [`/nicepay/wait/${tXid}`, `/nicepay/wait/${tXid}x`, `/nicepay/page/${tXid}`, '/nicepay/odd', `/${tXid}`]) await (await fetch(base + path)).text();
      const res = await fetch(`${base}/metrics`);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();
      assert.equal(sample(text, 'ewallet_api_requests_total', { route: '/nicepay/wait/:tXid', method: 'GET', result_cd: '0000', http_status: '200' }), 2);
      assert.equal(sample(text, 'ewallet_api_requests_total', { route: '/nicepay/page/:tXid', result_cd: 'none' }), 1);
      assert.equal(sample(text, 'ewallet_api_requests_total', { route: '/nicepay/odd', result_cd: 'none' }), 1);
      assert.equal(sample(text, 'ewallet_api_requests_total', { route: 'unmatched', http_status: '404' }), 1);
      assert.equal(sample(text, 'ewallet_api_request_duration_seconds_count', { route: '/nicepay/wait/:tXid' }), 2);
      assert.equal(text.includes('SECRET'), false, 'no tXid in any label');
      assert.equal(text.includes('/metrics'), false, 'scrapes are not counted');
    } finally {
      server.close();
    }
  });

  test('a request log line names its tXid or mandateID (params, query or body), only when it looks like one', () => {
    const req = (parts: object) => parts as unknown as Parameters<typeof requestIds>[0];
    assert.deepEqual(requestIds(req({ params: { tXid: 'IONPAYTEST0512345' } })), { tXid: 'IONPAYTEST0512345' });
    assert.deepEqual(requestIds(req({ query: { tXid: 'ABC' }, body: { mandateID: 'M123' } })), { tXid: 'ABC', mandateID: 'M123' });
    assert.deepEqual(requestIds(req({ body: { tXid: '<script>', billingPhone: '081234567890' } })), {});
    assert.deepEqual(requestIds(req({ body: Buffer.from('{"tXid":"X"}') })), {});
    assert.deepEqual(requestIds(req({})), {});
  });

  test("a reply's tXid (a registration's) reaches the request's log line; nothing else of the reply does", async () => {
    const app = express();
    const logged: object[] = [];
    app.use((req, res, next) => {
      res.once('finish', () => logged.push(requestIds(req, res)));
      next();
    });
    app.use(rememberReplyIds);
    app.post('/registration', (_req, res) => {
      res.json({ resultCd: '0000', tXid: 'IONPAYTEST05NEW', billingPhone: '081234567890' });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/registration`, { method: 'POST' })).text();
      await waitForLog(logged);
      assert.deepEqual(logged, [{ tXid: 'IONPAYTEST05NEW' }]);
    } finally {
      server.close();
    }
  });
});

async function waitForLog(logged: readonly object[]): Promise<void> {
  for (let i = 0; i < 50 && logged.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
}
