/**
 * Slow bodies (issue 22, finding 8): a request is admitted, i.e. counted against `API_MAX_IN_FLIGHT`, only after its
 * body has been read, and a body that does not arrive within `API_BODY_TIMEOUT_MS` is answered in the router's own
 * format (NICEPAY: HTTP 200 + 9001; wallet callbacks: 408) and its connection closed.
 * The app runs in-process with stub clients behind the API's real HTTP server (no Temporal needed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../domain/config.js';
import { startStubApi as startApi } from '../support/stub-api.js';
import { trickle } from '../support/trickle.js';

/** Bounds a wait so that a regression fails the test instead of hanging it (not a timing assertion). */
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms).unref())]);

test('a request whose body is still arriving holds no in-flight slot: with a limit of 1, a complete request is served beside it', async () => {
  // A body timeout far beyond the test, so only the order of admission can let the second request through.
  const api = await startApi({ API_MAX_IN_FLIGHT: '1', API_BODY_TIMEOUT_MS: '60000' });
  const slow = await Promise.all([trickle(api.port, '/nicepay/direct/v2/registration'), trickle(api.port, '/callbacks/ovo')]);
  try {
    await new Promise((r) => setTimeout(r, 100)); // both slow requests are inside the app by now
    const reply = await within(api.client.register('081200000000'), 20_000, 'registration beside a slow body');
    assert.equal(reply.resultCd, '0000', `${reply.resultCd} ${reply.resultMsg}`);
    assert.equal(api.registrations(), 1);
    // The callback router admits the same way: a complete callback reaches its route (unknown wallet → 404), not 503.
    const callback = await within(fetch(`${api.url}/callbacks/nowallet`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 20_000, 'callback beside a slow body');
    assert.equal(callback.status, 404, await callback.text());
  } finally {
    for (const s of slow) s.stop();
    await api.close();
  }
});

test('a NICEPAY body not in within API_BODY_TIMEOUT_MS is answered 9001 naming the timeout, and the connection closed', async () => {
  const api = await startApi({ API_BODY_TIMEOUT_MS: '300' });
  const slow = await trickle(api.port, '/nicepay/direct/v2/registration');
  try {
    const answer = await within(slow.closed, 15_000, 'the slow registration');
    assert.match(answer, /^HTTP\/1\.1 200 /, answer.slice(0, 80));
    assert.match(answer, /\r\nconnection: close\r\n/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { resultCd: string; resultMsg: string };
    assert.equal(body.resultCd, '9001');
    assert.match(body.resultMsg, /body not received within 0\.3 s/);
    assert.equal(api.registrations(), 0, 'nothing was done');
  } finally {
    slow.stop();
    await api.close();
  }
});

test('a wallet callback body not in within API_BODY_TIMEOUT_MS is answered 408, and the connection closed', async () => {
  const api = await startApi({ API_BODY_TIMEOUT_MS: '300' });
  const slow = await trickle(api.port, '/callbacks/ovo');
  try {
    const answer = await within(slow.closed, 15_000, 'the slow callback');
    assert.match(answer, /^HTTP\/1\.1 408 /, answer.slice(0, 80));
    assert.match(answer, /\r\nconnection: close\r\n/i);
    assert.deepEqual(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), { error: 'request body not received within 0.3 s' });
  } finally {
    slow.stop();
    await api.close();
  }
});

test('a body that arrives in time, however slowly, is read whole and served', async () => {
  const api = await startApi({ API_BODY_TIMEOUT_MS: '5000' });
  try {
    const fields = api.client.registrationFields('081200000000');
    const body = Buffer.from(JSON.stringify(fields));
    // Three pieces, 100 ms apart: slow, but in time.
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const part of [body.subarray(0, 10), body.subarray(10, 40), body.subarray(40)]) {
          controller.enqueue(part);
          await new Promise((r) => setTimeout(r, 100));
        }
        controller.close();
      },
    });
    const res = await fetch(`${api.url}/nicepay/direct/v2/registration`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
    const reply = (await res.json()) as { resultCd: string; resultMsg: string };
    assert.equal(reply.resultCd, '0000', reply.resultMsg);
  } finally {
    await api.close();
  }
});

test('API_BODY_TIMEOUT_MS is 5 s unless set, and a bad value stops start-up naming it', () => {
  assert.equal(loadConfig({}).api.bodyTimeoutMs, 5_000);
  assert.equal(loadConfig({ API_BODY_TIMEOUT_MS: '2500' }).api.bodyTimeoutMs, 2_500);
  for (const bad of ['0', '-1', 'soon']) assert.throws(() => loadConfig({ API_BODY_TIMEOUT_MS: bad }), (e: unknown) => e instanceof ConfigError && /API_BODY_TIMEOUT_MS/.test(e.message), bad);
});
