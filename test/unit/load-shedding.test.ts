import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { shedLoad } from '../../api/load-shedding.js';

/** An app whose one route holds each request until the test lets it go. */
async function holdingApp(options: { limit: number; maxQueue: number; maxWaitMs: number }) {
  const held: (() => void)[] = [];
  const app = express();
  app.use(shedLoad((res) => void res.status(503).json({ error: 'busy' }), options));
  app.get('/', (_req, res) => {
    held.push(() => res.json({ ok: true }));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { held, url, close: () => new Promise((r) => server.close(r)) };
}

const until = async (probe: () => boolean): Promise<void> => {
  while (!probe()) await new Promise((r) => setTimeout(r, 5));
};

test('beyond the limit a request waits its turn; beyond the queue it is answered busy at once', async () => {
  const app = await holdingApp({ limit: 1, maxQueue: 1, maxWaitMs: 5_000 });
  try {
    const first = fetch(app.url);
    await until(() => app.held.length === 1);
    const second = fetch(app.url); // queued
    await new Promise((r) => setTimeout(r, 50));
    const third = await fetch(app.url); // the queue is full
    assert.equal(third.status, 503);
    assert.equal(app.held.length, 1, 'the queued request has not reached the route yet');
    app.held.shift()?.();
    assert.equal((await first).status, 200);
    await until(() => app.held.length === 1); // the second got the freed slot
    app.held.shift()?.();
    assert.equal((await second).status, 200);
  } finally {
    await app.close();
  }
});

test('a request that waits longer than maxWaitMs is answered busy and never reaches the route', async () => {
  const app = await holdingApp({ limit: 1, maxQueue: 10, maxWaitMs: 100 });
  try {
    const first = fetch(app.url);
    await until(() => app.held.length === 1);
    const waited = await fetch(app.url);
    assert.equal(waited.status, 503);
    app.held.shift()?.();
    assert.equal((await first).status, 200);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(app.held.length, 0, 'the timed-out request was not run after all');
  } finally {
    await app.close();
  }
});
