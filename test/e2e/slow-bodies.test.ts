/**
 * Slow bodies (issue 22, finding 8), on the whole stack over real HTTP: 200 connections trickle their bodies to the
 * registration route, more than `API_MAX_IN_FLIGHT` (128) and its queue could ever hold out against when a request
 * counted before its body was read. A normal merchant's registration is served meanwhile, and every trickling
 * connection is answered 9001 (body not received in time) and closed by the gateway itself.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useE2eStack } from '../support/e2e-stack.js';
import { trickle, type TrickleClient } from '../support/trickle.js';

const SLOW_CLIENTS = 200;

describe('slow bodies: 200 connections trickling bodies do not lock merchants out (issue 22)', () => {
  const e2e = useE2eStack();

  test('a normal merchant registers while 200 connections trickle their bodies; the gateway answers and closes each of them', async () => {
    const port = Number(new URL(e2e.stack.apiUrl).port);
    const slow: TrickleClient[] = [];
    try {
      for (let i = 0; i < SLOW_CLIENTS; i++) slow.push(await trickle(port, '/nicepay/direct/v2/registration', { everyMs: 250 }));
      await new Promise((r) => setTimeout(r, 200)); // every one of them is inside the API, its body still coming
      const replies = await Promise.all(Array.from({ length: 3 }, () => e2e.client.register('081200000000')));
      for (const reply of replies) assert.equal(reply.resultCd, '0000', `${reply.resultCd} ${reply.resultMsg}`);

      // The gateway ends the slow ones itself (API_BODY_TIMEOUT_MS), in NICEPAY's format, well before Node's 30 s.
      const answers = await Promise.all(slow.map((s) => s.closed));
      for (const answer of answers) {
        assert.match(answer, /^HTTP\/1\.1 200 /, answer.slice(0, 80));
        const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { resultCd: string; resultMsg: string };
        assert.deepEqual([body.resultCd, body.resultMsg], ['9001', 'Malformed request: request body not received within 5 s']);
      }
    } finally {
      for (const s of slow) s.stop();
    }
    // And after them, business as usual.
    const after = await e2e.client.register('081200000000');
    assert.equal(after.resultCd, '0000', after.resultMsg);
  });
});
