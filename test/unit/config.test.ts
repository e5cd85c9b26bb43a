import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../domain/config.js';

test('defaults are the contract\'s (CONTRACT §1)', () => {
  const c = loadConfig({});
  assert.equal(c.api.port, 3000);
  assert.equal(c.sandbox.port, 4000);
  assert.equal(c.temporal.address, '127.0.0.1:7233');
  assert.equal(c.temporal.uiPort, 8233);
  assert.equal(c.dataDir, '.data');
  assert.deepEqual(
    [c.timeouts.ovoPushSeconds, c.timeouts.checkoutSeconds, c.timeouts.linkSeconds, c.timeouts.registrationSeconds],
    [60, 900, 900, 3600],
  );
  assert.equal(c.ovo.baseUrl, 'http://127.0.0.1:4000/ovo');
  assert.equal(c.merchants[0]?.iMid, 'IONPAYTEST');
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.timeouts));
});

test('a bad value stops start-up with a message naming the variable', () => {
  assert.throws(() => loadConfig({ API_PORT: 'abc' }), (e: unknown) => e instanceof ConfigError && /API_PORT/.test(e.message));
  assert.throws(() => loadConfig({ OVO_PUSH_TIMEOUT_SECONDS: '-1' }), (e: unknown) => e instanceof ConfigError && /OVO_PUSH_TIMEOUT_SECONDS/.test(e.message));
  assert.throws(() => loadConfig({ MERCHANTS_JSON: '{' }), (e: unknown) => e instanceof ConfigError && /MERCHANTS_JSON/.test(e.message));
});

test('more merchants come from MERCHANTS_JSON', () => {
  const c = loadConfig({ MERCHANTS_JSON: JSON.stringify([{ iMid: 'SHOP000001', merchantKey: 'k'.repeat(32), name: 'Toko Satu', mitraCds: ['OVOE'] }]) });
  assert.deepEqual(c.merchants.map((m) => m.iMid), ['IONPAYTEST', 'SHOP000001']);
  assert.deepEqual(c.merchants[1]?.mitraCds, ['OVOE']);
});
