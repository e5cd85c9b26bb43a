import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadConfig } from '../../domain/config.js';
import { createCodecServer } from '../../platform/codec-server.js';
import { EncryptionCodec } from '../../platform/payload-codec.js';

const key = (n: number) => Buffer.alloc(32, n);
const oldCodec = new EncryptionCodec({ currentKeyId: 'k1', keys: new Map([['k1', key(1)]]) });
const rotated = new EncryptionCodec({ currentKeyId: 'k2', keys: new Map([['k2', key(2)], ['k1', key(1)]]) });
const customer = { billingPhone: '081234567890', billingNm: 'Budi Santoso', billingEmail: 'budi@example.com' };

test('payloads are sealed (no customer data readable) and open again to the same value', async () => {
  const plain = defaultPayloadConverter.toPayload(customer);
  const [sealed] = await oldCodec.encode([plain]);
  assert.ok(sealed);
  const bytes = Buffer.concat([Buffer.from(sealed.data ?? []), ...Object.values(sealed.metadata ?? {}).map((v) => Buffer.from(v))]).toString('latin1');
  for (const value of Object.values(customer)) assert.equal(bytes.includes(value), false, `${value} is not readable`);
  assert.equal(Buffer.from(sealed.metadata?.['encryption-key-id'] ?? []).toString(), 'k1');
  const [opened] = await oldCodec.decode([sealed]);
  assert.ok(opened);
  assert.deepEqual(defaultPayloadConverter.fromPayload(opened), customer);
});

test('key rotation: new payloads use the new key, old ones still open; a key removed too early is a clear error', async () => {
  const [old] = await oldCodec.encode([defaultPayloadConverter.toPayload('before')]);
  const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload('after')]);
  assert.ok(old && fresh);
  assert.equal(Buffer.from(fresh.metadata?.['encryption-key-id'] ?? []).toString(), 'k2');
  const [a, b] = await rotated.decode([old, fresh]);
  assert.ok(a && b);
  assert.deepEqual([defaultPayloadConverter.fromPayload(a), defaultPayloadConverter.fromPayload(b)], ['before', 'after']);
  await assert.rejects(oldCodec.decode([fresh]), /unknown key "k2"/);
});

test('a tampered payload, or one sealed with another key under the same id, does not open', async () => {
  const [sealed] = await oldCodec.encode([defaultPayloadConverter.toPayload('x')]);
  assert.ok(sealed?.data);
  const data = Buffer.from(sealed.data);
  data[20] = (data[20] ?? 0) ^ 1;
  await assert.rejects(oldCodec.decode([{ ...sealed, data }]), /does not open/);
  const impostor = new EncryptionCodec({ currentKeyId: 'k1', keys: new Map([['k1', key(9)]]) });
  await assert.rejects(impostor.decode([sealed]), /does not open/);
});

test('payloads written before encryption was switched on pass through', async () => {
  const plain = defaultPayloadConverter.toPayload({ a: 1 });
  assert.deepEqual(await oldCodec.decode([plain]), [plain]);
});

test('PAYLOAD_KEYS: the first key is current; bad keys stop start-up; off disables encryption', () => {
  const k = (n: number) => key(n).toString('base64');
  const config = loadConfig({ PAYLOAD_KEYS: `new:${k(2)}, old:${k(1)}` });
  assert.equal(config.payloadKeys?.currentKeyId, 'new');
  assert.deepEqual([...(config.payloadKeys?.keys.keys() ?? [])], ['new', 'old']);
  assert.equal(loadConfig({ PAYLOAD_KEYS: 'off' }).payloadKeys, undefined);
  assert.throws(() => loadConfig({ PAYLOAD_KEYS: 'k1:c2hvcnQ=' }), /PAYLOAD_KEYS/);
  assert.throws(() => loadConfig({ PAYLOAD_KEYS: `:${k(1)}` }), /PAYLOAD_KEYS/);
});

test('the codec server decodes for the Web UI origin only', async () => {
  const server = createCodecServer(oldCodec, ['http://127.0.0.1:8233']).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const [sealed] = await oldCodec.encode([defaultPayloadConverter.toPayload(customer)]);
    assert.ok(sealed);
    const wire = { payloads: [{ metadata: Object.fromEntries(Object.entries(sealed.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(sealed.data ?? []).toString('base64') }] };
    const post = (origin: string) => fetch(`${url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', origin, 'x-namespace': 'default' }, body: JSON.stringify(wire) });
    const ok = await post('http://127.0.0.1:8233');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8233');
    const body = (await ok.json()) as { payloads: { data: string }[] };
    assert.deepEqual(JSON.parse(Buffer.from(body.payloads[0]?.data ?? '', 'base64').toString()), customer);
    assert.equal((await post('http://evil.example')).status, 403);
    const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    const bad = await fetch(`${url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nope":1}' });
    assert.equal(bad.status, 400);
  } finally {
    server.close();
  }
});
