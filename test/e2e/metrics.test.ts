import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/nicepay-client.js';

/** The sum of the samples of `name` whose labels include every given pair (undefined: no such sample). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Metrics end to end: payments through the real stack move the API's and the worker's counters, with safe labels. */
describe('metrics end to end', () => {
  const e2e = useE2eStack();
  const scrape = async (url: string) => {
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return res.text();
  };
  // The API's metrics are served by its operations listener (CONTRACT §1), not the public port.
  const apiMetrics = () => scrape(`${e2e.stack.opsUrl}/metrics`);
  const workerMetrics = () => scrape(e2e.stack.workerMetrics.url);

  test('a paid and a failed DANA payment: requests, callbacks, wallet calls, notifications, final statuses; no tXid or phone in any label', async () => {
    const phones = ['081200001000', '081200001001'];
    const regs = await Promise.all(phones.map((phone) => e2e.client.register(phone, { mitraCd: 'DANA' })));
    for (const reg of regs) assert.equal(reg.resultCd, '0000', reg.resultMsg);
    for (const reg of regs) assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    const [paid, failed] = regs.map((r) => r.tXid ?? '');
    await Promise.all([e2e.stack.notified(paid ?? '', '0'), e2e.stack.notified(failed ?? '', '8')]);
    assert.equal((await e2e.client.inquire({ ...regs[0] })).status, '0');

    const api = await apiMetrics();
    assert.ok((sample(api, 'ewallet_api_requests_total', { route: '/nicepay/direct/v2/registration', method: 'POST', result_cd: '0000', http_status: '200', service: 'api' }) ?? 0) >= 2, api);
    assert.ok((sample(api, 'ewallet_api_requests_total', { route: '/nicepay/direct/v2/payment', method: 'POST', result_cd: '0000' }) ?? 0) >= 2);
    assert.ok((sample(api, 'ewallet_api_requests_total', { route: '/nicepay/direct/v2/inquiry', result_cd: '0000' }) ?? 0) >= 1);
    assert.ok((sample(api, 'ewallet_api_request_duration_seconds_count', { route: '/nicepay/direct/v2/registration' }) ?? 0) >= 2);
    assert.ok((sample(api, 'ewallet_callbacks_total', { provider: 'dana', outcome: 'accepted' }) ?? 0) >= 2);
    assert.ok((sample(api, 'ewallet_callback_lateness_seconds_count', { provider: 'dana' }) ?? 0) >= 1, 'DANA callbacks carry their event time');

    const worker = await waitFor(async () => {
      const text = await workerMetrics();
      return (sample(text, 'ewallet_notification_attempts_total', { kind: 'payment', outcome: 'delivered' }) ?? 0) >= 2 && text;
    }, 'two delivered notifications in the worker metrics');
    assert.ok((sample(worker, 'ewallet_payments_final_total', { mitra_cd: 'DANA', status: 'PAID', service: 'worker' }) ?? 0) >= 1, worker);
    assert.ok((sample(worker, 'ewallet_payments_final_total', { mitra_cd: 'DANA', status: 'FAILED' }) ?? 0) >= 1);
    assert.ok((sample(worker, 'ewallet_payment_time_to_final_seconds_count', { mitra_cd: 'DANA', status: 'PAID' }) ?? 0) >= 1);
    assert.ok((sample(worker, 'ewallet_wallet_calls_total', { mitra_cd: 'DANA', operation: 'create', outcome: 'ok' }) ?? 0) >= 2);
    assert.match(worker, /^nodejs_eventloop_lag_seconds/m, 'Node process metrics');

    for (const [where, text] of [['API', api], ['worker', worker]] as const) {
      for (const tXid of [paid, failed]) assert.equal(text.includes(tXid ?? 'none'), false, `${where} metrics name ${tXid}`);
      for (const phone of phones) assert.equal(text.includes(phone.slice(1)), false, `${where} metrics name a phone`);
      assert.equal(text.includes('referenceNo'), false);
    }
  });

  test('a wait page with a tXid in its path is counted under its pattern', async () => {
    const res = await fetch(`${e2e.stack.apiUrl}/nicepay/direct/v2/payment/wait/IONPAYTEST05NOSUCHTXID000000/state`);
    await res.text();
    const api = await apiMetrics();
    assert.ok((sample(api, 'ewallet_api_requests_total', { route: '/nicepay/direct/v2/payment/wait/:tXid/state' }) ?? 0) >= 1, api);
    assert.equal(api.includes('NOSUCHTXID'), false);
  });
});
