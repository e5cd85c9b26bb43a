import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import { SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY } from '../../sandbox/shopeepay/sandbox-keys.js';
import { asymmetricAuthProblem, publishedPath, symmetricAuthProblem } from '../../sandbox/snap/auth.js';
import { minifiedBody, sha256hex, signedBodyForms } from '../../sandbox/snap/body.js';
import { snapStatusDesc, snapStatusOf } from '../../sandbox/snap/direct-debit-status.js';
import { ExternalIds } from '../../sandbox/snap/external-ids.js';
import { rupiahOf, snapMoney, SnapMoney } from '../../sandbox/snap/money.js';
import { parseSnapFields, snapReply, SnapError, snapResponseCode } from '../../sandbox/snap/reply.js';
import { asymmetricSignatureValid, b2bTokenStringToSign, hmacSha512, rsaSignatureValid, symmetricSignatureValid, symmetricStringToSign } from '../../sandbox/snap/signature.js';
import { jakartaDay, jakartaTime, parseSnapTime } from '../../sandbox/snap/time.js';
import { b2bTokenProblem } from '../../sandbox/snap/token-endpoint.js';
import { B2B_TOKEN_SECONDS, B2bTokens } from '../../sandbox/snap/tokens.js';

/** Just what the kit reads of an Express request. */
function fakeRequest(o: { method?: string; url: string; headers: Record<string, string>; body?: string }): Request {
  const headers = Object.fromEntries(Object.entries(o.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const fake = { method: o.method ?? 'POST', originalUrl: o.url, body: Buffer.from(o.body ?? ''), get: (name: string) => headers[name.toLowerCase()] };
  return fake as unknown as Request;
}

const partner = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partnerPublic = partner.publicKey;

void describe('SNAP kit: times and bodies', () => {
  test('Jakarta times are +07:00 to the second; the day is Jakarta\'s; any ISO 8601 offset parses', () => {
    assert.equal(jakartaTime(Date.UTC(2026, 11, 6, 17, 30, 5, 999)), '2026-12-07T00:30:05+07:00');
    assert.equal(jakartaDay(Date.UTC(2026, 11, 6, 16, 59, 59)), '2026-12-06');
    assert.equal(jakartaDay(Date.UTC(2026, 11, 6, 17, 0, 0)), '2026-12-07');
    assert.equal(parseSnapTime('2026-12-07T00:30:05+07:00'), Date.UTC(2026, 11, 6, 17, 30, 5));
    assert.equal(parseSnapTime('2026-12-06T17:30:05.123Z'), Date.UTC(2026, 11, 6, 17, 30, 5, 123));
    for (const bad of ['2026-12-07T00:30:05', '2026-12-07 00:30:05+07:00', 'yesterday', '']) assert.equal(parseSnapTime(bad), undefined, bad);
  });

  test('the signed body is the minified JSON; a body sent with spaces or non-ASCII still matches one of its forms', () => {
    assert.equal(minifiedBody('{ "a": 1, "b": [1, 2] }'), '{"a":1,"b":[1,2]}');
    assert.equal(minifiedBody('not json'), 'not json');
    assert.deepEqual(signedBodyForms('{ "t": "Kopi é" }'), ['{ "t": "Kopi é" }', '{"t":"Kopi é"}', '{"t":"Kopi \\u00e9"}']);
    assert.equal(sha256hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

void describe('SNAP kit: signatures', () => {
  test('B2B token: SHA256withRSA of clientId|X-TIMESTAMP; another key is refused', () => {
    const data = b2bTokenStringToSign('client-1', '2026-12-06T12:00:00+07:00');
    assert.equal(data, 'client-1|2026-12-06T12:00:00+07:00');
    const signature = sign('sha256', Buffer.from(data), partner.privateKey).toString('base64');
    assert.ok(rsaSignatureValid(partnerPublic, data, signature));
    assert.ok(!rsaSignatureValid(createPublicKey(SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY), data, signature));
    assert.ok(!rsaSignatureValid(partnerPublic, data, 'not base64!'));
  });

  test('symmetric: base64 HMAC-SHA512 over METHOD:path:token:lowerhex(sha256(minified body)):timestamp, computed independently', () => {
    const body = '{"a": 1}';
    const ts = '2026-12-06T12:00:00+07:00';
    const expected = createHmac('sha512', 'secret-123').update(`POST:/v1.0/debit/status:tok:${sha256hex('{"a":1}')}:${ts}`).digest('base64');
    assert.equal(hmacSha512('secret-123', symmetricStringToSign('post', '/v1.0/debit/status', 'tok', '{"a":1}', ts)), expected);
    assert.ok(symmetricSignatureValid('secret-123', 'POST', '/v1.0/debit/status', 'tok', body, ts, expected));
    assert.ok(!symmetricSignatureValid('other-secret', 'POST', '/v1.0/debit/status', 'tok', body, ts, expected));
    assert.ok(!symmetricSignatureValid('secret-123', 'POST', '/shopeepay/v1.0/debit/status', 'tok', body, ts, expected), 'the sandbox prefix is not signed');
    assert.ok(!symmetricSignatureValid('secret-123', 'POST', '/v1.0/debit/status', 'other-token', body, ts, expected));
    assert.ok(!symmetricSignatureValid('secret-123', 'POST', '/v1.0/debit/status', 'tok', '{"a":2}', ts, expected));
  });

  test('asymmetric: SHA256withRSA over METHOD:path:lowerhex(sha256(minified body)):timestamp', () => {
    const ts = '2026-12-06T12:00:00+07:00';
    const signature = sign('sha256', Buffer.from(`POST:/p:${sha256hex('{"a":1}')}:${ts}`), partner.privateKey).toString('base64');
    assert.ok(asymmetricSignatureValid(partnerPublic, 'POST', '/p', '{ "a": 1 }', ts, signature));
    assert.ok(!asymmetricSignatureValid(partnerPublic, 'POST', '/q', '{"a":1}', ts, signature));
  });
});

void describe('SNAP kit: X-EXTERNAL-ID, replies, fields, money', () => {
  test('an X-EXTERNAL-ID: the same call again passes, another call the same Jakarta day → refused, the next day → fresh', () => {
    const ids = new ExternalIds();
    const noon = Date.UTC(2026, 11, 6, 5);
    assert.ok(ids.admit('1', '/v1.0/debit/status', '{"a":1}', noon));
    assert.ok(ids.admit('1', '/v1.0/debit/status', '{ "a": 1 }', noon), 'the same call, spaced otherwise');
    assert.ok(!ids.admit('1', '/v1.0/debit/status', '{"a":2}', noon));
    assert.ok(!ids.admit('1', '/v1.0/debit/cancel', '{"a":1}', noon));
    assert.ok(ids.admit('1', '/v1.0/debit/cancel', '{"a":1}', noon + 86_400_000));
    assert.equal(Object.keys(ids.toJSON()).length, 1, 'the old day is forgotten');
  });

  test('responseCode = HTTP + service + case; fields left out → 400xx02, malformed → 400xx01, naming them', () => {
    assert.equal(snapResponseCode(401, '73', '00'), '4017300');
    assert.deepEqual(snapReply(404, '55', '01', 'Transaction Not Found', { x: 1 }), { http: 404, body: { responseCode: '4045501', responseMessage: 'Transaction Not Found', x: 1 } });
    const schema = z.object({ amount: SnapMoney, info: z.object({ phoneNo: z.string().min(1) }) });
    const error = (value: Record<string, unknown>): SnapError => {
      try {
        parseSnapFields(schema, value);
      } catch (e) {
        if (e instanceof SnapError) return e;
      }
      throw new Error('expected a SnapError');
    };
    assert.deepEqual([error({ info: { phoneNo: '0812' } }).http, error({ info: { phoneNo: '0812' } }).caseCode, error({ info: { phoneNo: '0812' } }).message], [400, '02', 'Invalid Mandatory Field amount']);
    const malformed = error({ amount: { value: '15000.5', currency: 'IDR' }, info: { phoneNo: '0812' } });
    assert.deepEqual([malformed.caseCode, malformed.message], ['01', 'Invalid Field Format amount.value']);
    assert.equal(error({ amount: snapMoney(1), info: {} }).message, 'Invalid Mandatory Field info.phoneNo');
    assert.deepEqual(snapMoney(15000), { value: '15000.00', currency: 'IDR' });
    assert.equal(rupiahOf({ value: '15000.00', currency: 'IDR' }), 15000);
  });

  test('latestTransactionStatus from the checkout core: 01, 02 once a person logged in, 00, 04 fully refunded, 05, 06', () => {
    assert.equal(snapStatusOf({ status: 'PENDING' }), '01');
    assert.equal(snapStatusOf({ status: 'PENDING', loggedInAt: new Date().toISOString() }), '02');
    assert.deepEqual((['PAID', 'REFUNDED', 'VOIDED', 'EXPIRED', 'FAILED', 'CANCELLED'] as const).map((status) => snapStatusOf({ status })), ['00', '04', '05', '05', '06', '06']);
    assert.equal(snapStatusDesc({ status: 'FAILED', reason: 'customer declined' }), 'customer declined');
    assert.equal(snapStatusDesc({ status: 'PAID' }), 'Success');
  });
});

void describe('SNAP kit: the B2B token and the symmetric checks', () => {
  const clientId = 'client-1';
  const tokenRequest = (o: { headers?: Record<string, string>; body?: string; key?: typeof partner.privateKey; now?: number } = {}): Request => {
    const ts = jakartaTime(o.now ?? Date.now());
    return fakeRequest({
      url: '/shopeepay/v1.0/access-token/b2b',
      headers: { 'X-CLIENT-KEY': clientId, 'X-TIMESTAMP': ts, 'X-SIGNATURE': sign('sha256', Buffer.from(`${clientId}|${ts}`), o.key ?? partner.privateKey).toString('base64'), ...o.headers },
      body: o.body ?? '{"grantType":"client_credentials"}',
    });
  };

  test('token requests: good → no problem; each refusal with its case', () => {
    const client = { clientId, partnerPublicKey: partnerPublic };
    assert.equal(b2bTokenProblem(tokenRequest(), client), undefined);
    assert.deepEqual(b2bTokenProblem(tokenRequest({ headers: { 'X-SIGNATURE': '' } }), client), { http: 400, case: '02', message: 'Invalid Mandatory Field X-SIGNATURE' });
    assert.equal(b2bTokenProblem(tokenRequest({ key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }), client)?.message, 'Unauthorized. Invalid Signature');
    assert.equal(b2bTokenProblem(tokenRequest({ now: Date.now() - 400_000 }), client)?.http, 401);
    assert.deepEqual(b2bTokenProblem(tokenRequest({ body: '{"grantType":"password"}' }), client), { http: 400, case: '01', message: 'Invalid Field Format grantType' });
  });

  test('tokens expire after 900 s and belong to their client', () => {
    let changes = 0;
    const tokens = new B2bTokens([], () => changes++);
    const t0 = Date.now();
    const token = tokens.issue(clientId, t0);
    assert.equal(changes, 1);
    assert.equal(tokens.clientOf(token, t0 + B2B_TOKEN_SECONDS * 1000 - 1), clientId);
    assert.equal(tokens.clientOf(token, t0 + B2B_TOKEN_SECONDS * 1000), undefined);
    assert.equal(tokens.clientOf('never-issued', t0), undefined);
    assert.deepEqual(new B2bTokens(tokens.toJSON(), () => {}).clientOf(token), clientId, 'kept across a restart');
  });

  test('a transaction call: unknown token → 401xx01; another secret, partner or path → 401xx00; good → none', () => {
    const tokens = new B2bTokens([], () => {});
    const token = tokens.issue(sandboxSecrets.SHOPEEPAY_CLIENT_ID);
    const client = { clientId: sandboxSecrets.SHOPEEPAY_CLIENT_ID, clientSecret: sandboxSecrets.SHOPEEPAY_CLIENT_SECRET };
    const call = (o: { secret?: string; token?: string; partner?: string; signedPath?: string } = {}): Request => {
      const ts = jakartaTime();
      const body = '{"originalPartnerReferenceNo":"X","serviceCode":"54","merchantId":"m"}';
      const signature = createHmac('sha512', o.secret ?? client.clientSecret)
        .update(`POST:${o.signedPath ?? '/v1.0/debit/status'}:${o.token ?? token}:${sha256hex(body)}:${ts}`)
        .digest('base64');
      return fakeRequest({
        url: '/shopeepay/v1.0/debit/status',
        headers: { Authorization: `Bearer ${o.token ?? token}`, 'X-TIMESTAMP': ts, 'X-SIGNATURE': signature, 'X-PARTNER-ID': o.partner ?? client.clientId, 'X-EXTERNAL-ID': '1', 'CHANNEL-ID': '95221' },
        body,
      });
    };
    assert.equal(publishedPath(call(), '/shopeepay'), '/v1.0/debit/status');
    assert.equal(symmetricAuthProblem(call(), client, tokens, '/shopeepay'), undefined);
    assert.deepEqual(symmetricAuthProblem(call({ token: 'nope' }), client, tokens, '/shopeepay'), { http: 401, case: '01', message: 'Invalid Token (B2B)' });
    for (const o of [{ secret: 'other-secret-1' }, { partner: 'someone' }, { signedPath: '/shopeepay/v1.0/debit/status' }]) {
      assert.equal(symmetricAuthProblem(call(o), client, tokens, '/shopeepay')?.case, '00', JSON.stringify(o));
    }
    // The asymmetric checks (DANA's) share the header order: a missing X-TIMESTAMP is 400xx02.
    assert.deepEqual(asymmetricAuthProblem(fakeRequest({ url: '/dana/x', headers: {} }), { partnerId: 'p', partnerPublicKey: partnerPublic }, '/dana'), { http: 400, case: '02', message: 'Invalid Mandatory Field X-TIMESTAMP' });
  });
});
