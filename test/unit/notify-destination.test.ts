/**
 * Notification destinations (issue 22, finding 9), applied: the `lookup` guard, and the notifyMerchant activity.
 * Every host name goes through a fake resolver. The only sockets ever opened are to 127.0.0.1 test servers (in
 * sandbox mode); every refusal is shown to happen before any connection, by the servers' connection counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { GatewayMode } from '../../domain/config.js';
import { MerchantDirectory, sandboxMerchant, type Merchant } from '../../domain/merchants.js';
import { DestinationRefused, guardedLookup, type HostResolver } from '../../activities/notify-destination.js';
import { createNotifyActivities, type DeliveryReport, type PaymentNotification } from '../../activities/notify-merchant.js';

/** A resolver that knows a few names and records every question; it never asks real DNS. */
function fakeResolver(table: Record<string, readonly LookupAddress[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string): Promise<readonly LookupAddress[]> => {
    asked.push(hostname);
    const answer = table[hostname];
    return answer ? Promise.resolve(answer) : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  };
  return Object.assign(resolve, { asked });
}

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** Calls a lookup as node:net does, with the options it passes. */
function lookupWith(mode: GatewayMode, resolve: HostResolver, hostname: string, options: { all?: boolean; family?: number } = {}) {
  return new Promise<{ err: Error | null; address: string | LookupAddress[]; family?: number | undefined }>((done) =>
    guardedLookup(mode, resolve)(hostname, options, (err, address, family) => done({ err, address, family })),
  );
}

test('the lookup guard refuses a name resolving to any non-public address in production, before any socket exists', async () => {
  const resolve = fakeResolver({
    'internal.example': [v4('10.0.0.5')],
    'metadata.example': [v4('169.254.169.254')],
    'mixed.example': [v4('93.184.216.34'), v4('10.0.0.5')],
    'mapped.example': [v6('::ffff:127.0.0.1')],
    'ula.example': [v6('fd00::5')],
    'public.example': [v4('93.184.216.34'), v6('2606:2800:220:1:248:1893:25c8:1946')],
  });
  for (const [host, address] of [['internal.example', '10.0.0.5'], ['metadata.example', '169.254.169.254'], ['mixed.example', '10.0.0.5'], ['mapped.example', '::ffff:127.0.0.1'], ['ula.example', 'fd00::5']]) {
    const { err } = await lookupWith('production', resolve, host ?? '', { all: true });
    assert.ok(err instanceof DestinationRefused, host);
    assert.match(err.message, new RegExp(`^notification address ${(address ?? '').replace(/[.]/g, '\\.')} is not public`), host);
  }
  // Allowed: handed over as node:net asks for it (every address, or the first of a family).
  const all = await lookupWith('production', resolve, 'public.example', { all: true });
  assert.equal(all.err, null);
  assert.deepEqual(all.address, [v4('93.184.216.34'), v6('2606:2800:220:1:248:1893:25c8:1946')]);
  const one = await lookupWith('production', resolve, 'public.example', { family: 6 });
  assert.deepEqual([one.err, one.address, one.family], [null, '2606:2800:220:1:248:1893:25c8:1946', 6]);
  const none = await lookupWith('production', fakeResolver({ 'v4only.example': [v4('93.184.216.34')] }), 'v4only.example', { family: 6 });
  assert.match(none.err?.message ?? '', /no address for v4only\.example/);
});

test('the lookup guard lets sandbox mode reach loopback, and nothing link-local', async () => {
  const resolve = fakeResolver({ 'shop.test': [v4('127.0.0.1')], 'metadata.test': [v4('169.254.169.254')] });
  assert.deepEqual(await lookupWith('sandbox', resolve, 'shop.test'), { err: null, address: '127.0.0.1', family: 4 });
  assert.ok((await lookupWith('sandbox', resolve, 'metadata.test')).err instanceof DestinationRefused);
  assert.ok((await lookupWith('production', resolve, 'shop.test')).err instanceof DestinationRefused);
});

// ---------------------------------------------------------------------------------------------------------------
// The activity, against loopback servers.

interface CountingServer {
  readonly url: string;
  readonly connections: () => number;
  readonly requests: { path: string; host: string; body: string }[];
  close(): Promise<void>;
}

async function countingServer(answer: (path: string) => { status: number; headers?: Record<string, string> }): Promise<CountingServer> {
  let connections = 0;
  const requests: { path: string; host: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', host: req.headers.host ?? '', body });
      const { status, headers } = answer(req.url ?? '');
      res.writeHead(status, headers).end('ok');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const notification = (dbProcessUrl: string): PaymentNotification => ({
  kind: 'payment',
  dbProcessUrl,
  iMid: sandboxMerchant.iMid,
  tXid: 'IONPAYTEST05TEST0000000001',
  referenceNo: 'ORD-1',
  payMethod: '05',
  mitraCd: 'OVOE',
  amt: 15000,
  currency: 'IDR',
  goodsNm: 'Kopi',
  billingNm: 'Budi',
  status: 0,
  transDt: '20261206',
  transTm: '120000',
  cancelAmt: 0,
});

/** The activity's outcome: its report when delivered, the report it fails with otherwise (what the workflow records). */
async function attempt(mode: GatewayMode, dbProcessUrl: string, { merchant = sandboxMerchant, resolve = fakeResolver({}) }: { merchant?: Merchant; resolve?: HostResolver } = {}) {
  const activities = createNotifyActivities(new MerchantDirectory([merchant]), { mode, resolve });
  try {
    return { delivered: true, report: await activities.notifyMerchant(notification(dbProcessUrl)) };
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, String(err));
    assert.equal(err.type, 'NotificationFailed');
    return { delivered: false, report: err.details?.[0] as DeliveryReport };
  }
}

test('production: a loopback dbProcessUrl, literal or by name, fails as an attempt naming the address; nothing connects', async () => {
  const merchant = await countingServer(() => ({ status: 200 }));
  try {
    const literal = await attempt('production', `${merchant.url}/notify`);
    assert.equal(literal.delivered, false);
    assert.equal(literal.report.error, 'notification address 127.0.0.1 is not public (loopback, 127.0.0.0/8)');
    assert.equal(literal.report.httpStatus, undefined);

    const port = new URL(merchant.url).port;
    const resolve = fakeResolver({ 'shop.test': [v4('127.0.0.1')] });
    const byName = await attempt('production', `http://shop.test:${port}/notify`, { resolve });
    assert.equal(byName.delivered, false);
    assert.equal(byName.report.error, 'notification address 127.0.0.1 is not public (loopback, 127.0.0.0/8)');
    assert.deepEqual(resolve.asked, ['shop.test'], 'the name was resolved when connecting');

    const localhost = await attempt('production', `http://localhost:${port}/notify`);
    assert.equal(localhost.report.error, 'notification host localhost is not public (loopback)');
    assert.equal(merchant.connections(), 0, 'no connection was ever made');
  } finally {
    await merchant.close();
  }
});

test('production: a name resolving to a private address is refused at connect time, whatever a check before it saw', async () => {
  // The classic rebinding answer: public the first time, private the next. The guard sees only what is connected.
  let calls = 0;
  const rebinding: HostResolver = () => Promise.resolve(calls++ === 0 ? [v4('93.184.216.34')] : [v4('10.0.0.5')]);
  await rebinding('warm-up.test'); // whatever resolved the name earlier got the public answer
  const result = await attempt('production', 'http://rebind.test/notify', { resolve: rebinding });
  assert.equal(result.delivered, false);
  assert.equal(result.report.error, 'notification address 10.0.0.5 is not public (private, 10.0.0.0/8)');
});

test('sandbox: loopback is notified, by address and by name', async () => {
  const merchant = await countingServer(() => ({ status: 200 }));
  try {
    const direct = await attempt('sandbox', `${merchant.url}/notify`);
    assert.deepEqual([direct.delivered, direct.report.httpStatus, direct.report.error], [true, 200, undefined]);
    const port = new URL(merchant.url).port;
    const byName = await attempt('sandbox', `http://shop.test:${port}/notify`, { resolve: fakeResolver({ 'shop.test': [v4('127.0.0.1')] }) });
    assert.equal(byName.delivered, true);
    assert.equal(merchant.requests.length, 2);
    assert.equal(merchant.requests[1]?.host, `shop.test:${port}`);
    assert.match(merchant.requests[0]?.body ?? '', /(^|&)tXid=IONPAYTEST05TEST0000000001(&|$)/);
    assert.match(merchant.requests[0]?.body ?? '', /(^|&)merchantToken=[0-9a-f]{64}(&|$)/);
  } finally {
    await merchant.close();
  }
});

test('a redirect is a failed attempt and is never followed', async () => {
  const target = await countingServer(() => ({ status: 200 }));
  const merchant = await countingServer(() => ({ status: 302, headers: { location: `${target.url}/elsewhere` } }));
  try {
    const result = await attempt('sandbox', `${merchant.url}/notify`);
    assert.deepEqual([result.delivered, result.report.httpStatus, result.report.error], [false, 302, 'merchant answered HTTP 302']);
    assert.equal(target.connections(), 0, 'the redirect target was never contacted');
  } finally {
    await merchant.close();
    await target.close();
  }
});

test("a merchant's notifyHosts: only those host names are notified", async () => {
  const merchant = await countingServer(() => ({ status: 204 }));
  try {
    const port = new URL(merchant.url).port;
    const restricted: Merchant = { ...sandboxMerchant, notifyHosts: ['shop.test'] };
    const resolve = fakeResolver({ 'shop.test': [v4('127.0.0.1')], 'other.test': [v4('127.0.0.1')] });
    const allowed = await attempt('sandbox', `http://shop.test:${port}/notify`, { merchant: restricted, resolve });
    assert.deepEqual([allowed.delivered, allowed.report.httpStatus], [true, 204]);
    const other = await attempt('sandbox', `http://other.test:${port}/notify`, { merchant: restricted, resolve });
    assert.deepEqual([other.delivered, other.report.error], [false, "notification host other.test is not in the merchant's notifyHosts"]);
    const literal = await attempt('sandbox', `${merchant.url}/notify`, { merchant: restricted, resolve });
    assert.deepEqual([literal.delivered, literal.report.error], [false, "notification host 127.0.0.1 is not in the merchant's notifyHosts"]);
    assert.deepEqual(resolve.asked, ['shop.test'], 'a host outside the list is not even resolved');
    assert.equal(merchant.connections(), 1);
  } finally {
    await merchant.close();
  }
});

test('an unresolvable host and a closed port are failed attempts with a readable error', async () => {
  const gone = await countingServer(() => ({ status: 200 }));
  const url = `${gone.url}/notify`;
  await gone.close();
  const refused = await attempt('sandbox', url);
  assert.equal(refused.delivered, false);
  assert.match(refused.report.error ?? '', /ECONNREFUSED/);
  const unknown = await attempt('production', 'https://nowhere.test/notify');
  assert.match(unknown.report.error ?? '', /ENOTFOUND nowhere\.test/);
});

test('the same attempt run again (its workflow task refused by the server) is not sent twice; a new attempt is', async () => {
  const merchant = await countingServer(() => ({ status: 200 }));
  try {
    const activities = createNotifyActivities(new MerchantDirectory([sandboxMerchant]), { mode: 'sandbox' });
    const run = { workflowId: 'payment-X', runId: 'run-1' };
    const attemptOf = (activityId: string) => new MockActivityEnvironment({ workflowExecution: run, activityId }).run((n: PaymentNotification) => activities.notifyMerchant(n), notification(`${merchant.url}/notify`));
    const first = await attemptOf('3');
    assert.deepEqual(await attemptOf('3'), first, 'the re-run answers with the first delivery');
    assert.equal(merchant.requests.length, 1);
    await attemptOf('4'); // an operator's resend, or the next notification: another attempt
    assert.equal(merchant.requests.length, 2);
  } finally {
    await merchant.close();
  }
});
