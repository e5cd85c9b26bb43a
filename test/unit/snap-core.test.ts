import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WalletUnavailableError } from '../../activities/wallets/adapter.js';
import { B2bTokenCache, requestB2bToken, withB2bToken } from '../../activities/wallets/snap/b2b-token.js';
import { bodyDigest, minifyJson, signedBodyForms } from '../../activities/wallets/snap/body-digest.js';
import { SnapClient } from '../../activities/wallets/snap/client.js';
import { EXTERNAL_ID_LENGTH, externalIdFor, randomExternalId } from '../../activities/wallets/snap/external-id.js';
import { verifyAsymmetricSignature } from '../../activities/wallets/snap/notify.js';
import { parseSnapCode, snapOutcome } from '../../activities/wallets/snap/response-code.js';
import { hmacSha512, signSha256WithRsa, verifyHmacSha512, verifySha256WithRsa } from '../../activities/wallets/snap/signature.js';
import { asymmetricStringToSign, b2bTokenStringToSign, symmetricStringToSign } from '../../activities/wallets/snap/string-to-sign.js';
import { parseSnapTimestamp, snapTimestamp } from '../../activities/wallets/snap/timestamp.js';
import { walletStateOfSnapStatus } from '../../activities/wallets/snap/transaction-status.js';
import { pemText } from '../../domain/pem.js';

/** Computed once with openssl and coreutils by fixtures/snap/make-vectors.sh, independently of this code. */
const fixtures = new URL('./fixtures/snap/', import.meta.url);
const v = JSON.parse(readFileSync(new URL('vectors.json', fixtures), 'utf8')) as Record<string, string>;
const privateKey = readFileSync(new URL('test-only-rsa.key', fixtures), 'utf8');
const publicKey = readFileSync(new URL('test-only-rsa.pub', fixtures), 'utf8');
const vec = (name: string): string => {
  const value = v[name];
  if (value === undefined) throw new Error(`no vector ${name}`);
  return value;
};

void describe('SNAP timestamps', () => {
  test('X-TIMESTAMP is Jakarta time with +07:00 and whole seconds', () => {
    assert.equal(snapTimestamp(Date.parse('2026-12-06T05:00:00.999Z')), '2026-12-06T12:00:00+07:00');
    assert.equal(snapTimestamp(new Date('2026-12-31T17:30:00Z')), '2027-01-01T00:30:00+07:00');
  });
  test('any ISO 8601 offset is read, with or without fractions; no offset is not', () => {
    const at = Date.parse('2026-12-06T05:00:00Z');
    assert.equal(parseSnapTimestamp('2026-12-06T12:00:00+07:00'), at);
    assert.equal(parseSnapTimestamp('2026-12-06T05:00:00.000Z'), at);
    assert.equal(parseSnapTimestamp('2026-12-06T12:00:00.000+07:00'), at);
    assert.equal(parseSnapTimestamp('2026-12-06T12:00:00'), undefined);
    assert.equal(parseSnapTimestamp(String(at)), undefined);
    assert.equal(parseSnapTimestamp(undefined), undefined);
  });
});

void describe('SNAP strings to sign and signatures (known-answer vectors from openssl)', () => {
  test('the body digest is lowerhex sha256 of the minified body', () => {
    assert.equal(bodyDigest(vec('body')), vec('bodySha256'));
    assert.equal(bodyDigest(minifyJson(JSON.stringify(JSON.parse(vec('body')), null, 2))), vec('bodySha256'));
    assert.equal(bodyDigest(''), vec('emptySha256'));
  });

  test('B2B token: clientId|X-TIMESTAMP, SHA256withRSA base64', () => {
    const data = b2bTokenStringToSign(vec('clientId'), vec('timestamp'));
    assert.equal(data, vec('b2bStringToSign'));
    assert.equal(signSha256WithRsa(privateKey, data), vec('b2bSignature'));
  });

  test('asymmetric: METHOD:path:lowerhex(sha256(minified body)):X-TIMESTAMP, SHA256withRSA base64', () => {
    const data = asymmetricStringToSign({ method: 'post', path: vec('path'), body: vec('body'), timestamp: vec('timestamp') });
    assert.equal(data, vec('asymmetricStringToSign'));
    assert.equal(signSha256WithRsa(privateKey, data), vec('asymmetricSignature'));
    assert.equal(verifySha256WithRsa(publicKey, data, vec('asymmetricSignature')), true);
    assert.equal(verifySha256WithRsa(publicKey, `${data} `, vec('asymmetricSignature')), false);
    assert.equal(verifySha256WithRsa(publicKey, data, 'not base64!'), false);
    assert.equal(verifySha256WithRsa(publicKey, data, undefined), false);
    assert.equal(verifySha256WithRsa(publicKey, data, ''), false);
  });

  test('symmetric: METHOD:path:accessToken:lowerhex(sha256(minified body)):X-TIMESTAMP, HMAC-SHA512 base64', () => {
    const data = symmetricStringToSign({ method: 'POST', path: '/v1.0/debit/payment-host-to-host', accessToken: vec('accessToken'), body: vec('body'), timestamp: vec('timestamp') });
    assert.equal(data, vec('symmetricStringToSign'));
    assert.equal(hmacSha512(vec('clientSecret'), data), vec('symmetricSignature'));
    assert.equal(verifyHmacSha512(vec('clientSecret'), data, vec('symmetricSignature')), true);
    assert.equal(verifyHmacSha512('another-secret', data, vec('symmetricSignature')), false);
    assert.equal(verifyHmacSha512(vec('clientSecret'), data, undefined), false);
  });

  test('an inbound signature is checked over the minified body, whatever spacing the sender sent', () => {
    const spaced = JSON.stringify(JSON.parse(vec('body')), null, 1);
    const inbound = { method: 'POST', path: vec('path'), timestamp: vec('timestamp'), signature: vec('asymmetricSignature') };
    assert.equal(verifyAsymmetricSignature(publicKey, { ...inbound, rawBody: vec('body') }), true);
    assert.equal(verifyAsymmetricSignature(publicKey, { ...inbound, rawBody: spaced }), true);
    assert.equal(verifyAsymmetricSignature(publicKey, { ...inbound, rawBody: vec('body').replace('15000.00', '15000.01') }), false);
    assert.equal(verifyAsymmetricSignature(publicKey, { ...inbound, path: `/dana${vec('path')}`, rawBody: vec('body') }), false);
    assert.equal(verifyAsymmetricSignature(publicKey, { ...inbound, timestamp: undefined, rawBody: vec('body') }), false);
  });

  test('the forms a sender may have signed include Python’s ASCII-escaped minified JSON', () => {
    assert.deepEqual(signedBodyForms('{"a": "Kopi ☕"}'), ['{"a": "Kopi ☕"}', '{"a":"Kopi ☕"}', '{"a":"Kopi \\u2615"}']);
    assert.deepEqual(signedBodyForms(''), ['']);
  });

  test('PEM from an environment variable: literal \\n escapes are the same key', () => {
    const oneLine = privateKey.trim().replace(/\n/g, '\\n');
    assert.equal(pemText(oneLine), `${privateKey.trim()}\n`);
    assert.equal(signSha256WithRsa(pemText(oneLine), vec('b2bStringToSign')), vec('b2bSignature'));
  });
});

void describe('X-EXTERNAL-ID', () => {
  test('derived from the call: the same on every retry, different for another call, 36 digits', () => {
    const id = externalIdFor('IONPAYTEST0512345678901234', 'refund', 'cancel-IONPAYTEST0512345678901234-abc');
    assert.match(id, /^\d{36}$/);
    assert.equal(EXTERNAL_ID_LENGTH, 36);
    assert.equal(externalIdFor('IONPAYTEST0512345678901234', 'refund', 'cancel-IONPAYTEST0512345678901234-abc'), id);
    assert.notEqual(externalIdFor('IONPAYTEST0512345678901234', 'refund', 'cancel-IONPAYTEST0512345678901234-abd'), id);
    assert.notEqual(externalIdFor('IONPAYTEST0512345678901234', 'create'), externalIdFor('IONPAYTEST0512345678901234', 'cancel'));
    // The parts are separated, so shifting a character between them is another call.
    assert.notEqual(externalIdFor('ab', 'c'), externalIdFor('a', 'bc'));
    // Computed independently: sha256 of the parts joined by U+001F, as a number, modulo 10^36.
    const digest = createHash('sha256').update('T1\u001fcreate').digest('hex');
    assert.equal(externalIdFor('T1', 'create'), (BigInt(`0x${digest}`) % 10n ** 36n).toString().padStart(36, '0'));
    assert.throws(() => externalIdFor());
  });
  test('a status check gets a fresh one each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => randomExternalId()));
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, /^\d{36}$/);
  });
});

void describe('SNAP response codes', () => {
  test('HTTP status + service code + case code', () => {
    assert.deepEqual(parseSnapCode('4015400'), { code: '4015400', http: 401, service: '54', case: '00' });
    assert.equal(parseSnapCode('200540'), undefined);
    assert.equal(parseSnapCode(2005400), undefined);
  });
  const kind = (http: number, responseCode?: string): string => {
    const o = snapOutcome(http, responseCode === undefined ? {} : { responseCode, responseMessage: '' });
    return o.kind === 'unauthorized' ? `unauthorized${o.tokenInvalid ? '+token' : ''}` : o.kind;
  };
  test('each answer in one of six words; 5xx, timeouts and the unreadable are unknown, never a refusal', () => {
    const table: Array<[number, string | undefined, string]> = [
      [200, '2005400', 'success'],
      [202, '2025800', 'in-progress'],
      [400, '4005401', 'rejected'],
      [400, '4005402', 'rejected'],
      [401, '4015400', 'unauthorized'],
      [401, '4015501', 'unauthorized+token'],
      [403, '4035815', 'rejected'],
      [404, '4045501', 'not-found'],
      [404, '4045418', 'rejected'],
      [404, '4045408', 'rejected'],
      [409, '4095400', 'unknown'],
      [409, '4095401', 'rejected'],
      [429, '4295400', 'unknown'],
      [500, '5005401', 'unknown'],
      [504, '5045400', 'unknown'],
      [502, undefined, 'unknown'],
      [200, undefined, 'unknown'],
      [200, '4045501', 'not-found'],
      [200, '5005401', 'unknown'],
    ];
    for (const [http, code, expected] of table) assert.equal(kind(http, code), expected, `${http} ${code ?? '-'}`);
  });
  test('a refusal carries the wallet’s message, or the standard description', () => {
    const withMessage = snapOutcome(400, { responseCode: '4005402', responseMessage: 'Invalid Mandatory Field amount' });
    assert.equal(withMessage.kind === 'rejected' && withMessage.reason, 'Invalid Mandatory Field amount');
    const without = snapOutcome(404, { responseCode: '4045418' });
    assert.equal(without.kind === 'rejected' && without.reason, 'Inconsistent Request');
  });
});

void describe('latestTransactionStatus', () => {
  test('00–07 mapped once to the adapters’ states; anything else is unknown', () => {
    const states = ['00', '01', '02', '03', '04', '05', '06', '07'].map(walletStateOfSnapStatus);
    assert.deepEqual(states, ['PAID', 'PENDING', 'PENDING', 'PENDING', 'PAID', 'VOIDED', 'FAILED', 'NOT_FOUND']);
    for (const other of ['08', '7', '', undefined, 0, 'toString']) assert.equal(walletStateOfSnapStatus(other), undefined, String(other));
  });
});

void describe('B2B access token', () => {
  test('fetched once, shared by concurrent callers, reused until a minute before expiry, then fetched again', async () => {
    let now = 0;
    let fetched = 0;
    const cache = new B2bTokenCache(async () => ({ accessToken: `t${++fetched}`, expiresInSeconds: 900 }), () => now);
    assert.deepEqual(await Promise.all([cache.token(), cache.token(), cache.token()]), ['t1', 't1', 't1']);
    now = 839_000;
    assert.equal(await cache.token(), 't1');
    now = 840_000;
    assert.equal(await cache.token(), 't2');
    assert.equal(fetched, 2);
  });

  test('a short-lived token is refreshed at half its life; a failed fetch is retried on the next call', async () => {
    let now = 0;
    let attempt = 0;
    const cache = new B2bTokenCache(async () => {
      attempt++;
      if (attempt === 1) throw new WalletUnavailableError('down');
      return { accessToken: `t${attempt}`, expiresInSeconds: 60 };
    }, () => now);
    await assert.rejects(cache.token(), WalletUnavailableError);
    assert.equal(await cache.token(), 't2');
    now = 30_000;
    assert.equal(await cache.token(), 't3');
  });

  test('401xx01: the token is dropped and the call made once more with a new one; never a third time', async () => {
    let fetched = 0;
    const cache = new B2bTokenCache(async () => ({ accessToken: `t${++fetched}`, expiresInSeconds: 900 }));
    const used: string[] = [];
    const refused = (r: string) => r === 'refused';
    assert.equal(await withB2bToken(cache, async (t) => (used.push(t), t === 't1' ? 'refused' : 'ok'), refused), 'ok');
    assert.deepEqual(used, ['t1', 't2']);
    used.length = 0;
    assert.equal(await withB2bToken(cache, async (t) => (used.push(t), 'refused'), refused), 'refused');
    assert.deepEqual(used, ['t2', 't3']);
  });

  test('the token request: X-CLIENT-KEY, X-TIMESTAMP, X-SIGNATURE over clientId|timestamp, grantType client_credentials', async () => {
    let seen: { url: string; headers: Record<string, string>; body: string } | undefined;
    const fetchImpl: typeof fetch = async (url, init) => {
      seen = { url: url as string, headers: init?.headers as Record<string, string>, body: (init?.body as string) };
      return new Response(JSON.stringify({ responseCode: '2007300', responseMessage: 'Successful', accessToken: 'abc', tokenType: 'Bearer', expiresIn: '900' }), { status: 200 });
    };
    const token = await requestB2bToken({ wallet: 'X', baseUrl: 'http://wallet.example', path: '/v1.0/access-token/b2b', clientId: 'cid', privateKey, fetchImpl });
    assert.deepEqual(token, { accessToken: 'abc', expiresInSeconds: 900 });
    assert.ok(seen);
    assert.equal(seen.url, 'http://wallet.example/v1.0/access-token/b2b');
    assert.deepEqual(JSON.parse(seen.body), { grantType: 'client_credentials' });
    const ts = seen.headers['X-TIMESTAMP'] ?? '';
    assert.match(ts, /\+07:00$/);
    assert.equal(seen.headers['X-CLIENT-KEY'], 'cid');
    assert.ok(verify('sha256', Buffer.from(`cid|${ts}`), createPublicKey(publicKey), Buffer.from(seen.headers['X-SIGNATURE'] ?? '', 'base64')));
    const refusing: typeof fetch = async () => new Response(JSON.stringify({ responseCode: '4017300', responseMessage: 'Unauthorized. Invalid Signature' }), { status: 401 });
    await assert.rejects(requestB2bToken({ wallet: 'X', baseUrl: 'http://wallet.example', path: '/t', clientId: 'cid', privateKey, fetchImpl: refusing }), /Invalid Signature/);
  });
});

void describe('SNAP client', () => {
  type Seen = { url: string; headers: Record<string, string>; body: string };
  const recorder = (answers: Array<[number, unknown]>) => {
    const seen: Seen[] = [];
    const fetchImpl: typeof fetch = async (url, init) => {
      seen.push({ url: url as string, headers: init?.headers as Record<string, string>, body: (init?.body as string) });
      const [status, body] = answers.shift() ?? [200, { responseCode: '2005400' }];
      return new Response(JSON.stringify(body), { status });
    };
    return { seen, fetchImpl };
  };

  test('asymmetric (DANA): the SNAP headers, SHA256withRSA over the published path without the base URL’s prefix', async () => {
    const { seen, fetchImpl } = recorder([[200, { responseCode: '2005400', responseMessage: 'Successful' }]]);
    const client = new SnapClient({ wallet: 'DANA', baseUrl: 'http://127.0.0.1:4000/dana/', partnerId: 'p1', channelId: '95221', origin: 'http://shop.example', privateKey, profile: { kind: 'asymmetric' }, fetchImpl });
    const reply = await client.post('/payment-gateway/v1.0/debit/status.htm', { b: 1, a: { c: 'x' } }, '123');
    assert.equal(reply.outcome.kind, 'success');
    const [s] = seen;
    assert.ok(s);
    assert.equal(s.url, 'http://127.0.0.1:4000/dana/payment-gateway/v1.0/debit/status.htm');
    assert.equal(s.body, '{"b":1,"a":{"c":"x"}}');
    const h = s.headers;
    assert.deepEqual([h['X-PARTNER-ID'], h['X-EXTERNAL-ID'], h['CHANNEL-ID'], h.ORIGIN, h.Authorization], ['p1', '123', '95221', 'http://shop.example', undefined]);
    const data = `POST:/payment-gateway/v1.0/debit/status.htm:${createHash('sha256').update(s.body).digest('hex')}:${h['X-TIMESTAMP'] ?? ''}`;
    assert.ok(verify('sha256', Buffer.from(data), createPublicKey(publicKey), Buffer.from(h['X-SIGNATURE'] ?? '', 'base64')));
  });

  test('symmetric with a B2B token: Bearer token, HMAC-SHA512 with the token in the string; refreshed once on 401xx01', async () => {
    const token = (t: string): [number, unknown] => [200, { responseCode: '2007300', accessToken: t, expiresIn: 900 }];
    const { seen, fetchImpl } = recorder([token('tok-1'), [401, { responseCode: '4015401', responseMessage: 'Invalid Token (B2B)' }], token('tok-2'), [200, { responseCode: '2005400' }]]);
    const client = new SnapClient({
      wallet: 'OVO',
      baseUrl: 'http://wallet.example',
      partnerId: 'p1',
      channelId: '95221',
      privateKey,
      profile: { kind: 'symmetric-b2b', clientSecret: 'sec', tokenPath: '/v1.0/access-token/b2b' },
      fetchImpl,
    });
    const reply = await client.post('/v1.0/debit/payment-host-to-host', { a: 1 }, '42');
    assert.equal(reply.outcome.kind, 'success');
    assert.deepEqual(
      seen.map((s) => s.url.replace('http://wallet.example', '')),
      ['/v1.0/access-token/b2b', '/v1.0/debit/payment-host-to-host', '/v1.0/access-token/b2b', '/v1.0/debit/payment-host-to-host'],
    );
    const last = seen[3];
    assert.ok(last);
    assert.equal(last.headers.Authorization, 'Bearer tok-2');
    assert.equal(last.headers['X-EXTERNAL-ID'], '42', 'the retry is the same call');
    const data = `POST:/v1.0/debit/payment-host-to-host:tok-2:${createHash('sha256').update('{"a":1}').digest('hex')}:${last.headers['X-TIMESTAMP'] ?? ''}`;
    assert.equal(last.headers['X-SIGNATURE'], createHmac('sha512', 'sec').update(data).digest('base64'));
  });

  test('5xx and transport failures are an unknown outcome (WalletUnavailableError), never a refusal', async () => {
    const { fetchImpl } = recorder([[500, { responseCode: '5005401' }]]);
    const client = new SnapClient({ wallet: 'DANA', baseUrl: 'http://wallet.example', partnerId: 'p', channelId: 'c', privateKey, profile: { kind: 'asymmetric' }, fetchImpl });
    await assert.rejects(client.post('/x', {}, '1'), WalletUnavailableError);
    const down = new SnapClient({ wallet: 'DANA', baseUrl: 'http://wallet.example', partnerId: 'p', channelId: 'c', privateKey, profile: { kind: 'asymmetric' }, fetchImpl: () => Promise.reject(new TypeError('fetch failed')) });
    await assert.rejects(down.post('/x', {}, '1'), WalletUnavailableError);
  });
});
