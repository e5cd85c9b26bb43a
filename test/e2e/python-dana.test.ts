/**
 * DANA's official Python SDK (PyPI `dana-python`) judges the sandbox DANA: test/e2e/python/dana_sdk.py configures
 * the SDK as DANA documents it and changes only its host to the sandbox. Create, query, cancel and refund must
 * come back with DANA's codes and statuses; a request signed with another key must be refused and change nothing;
 * the SDK's webhook parser must accept a finish notify the sandbox sent to the gateway's notify URL, and refuse it
 * when one byte changes. The gateway's own verifier (DANA's module's) reads the same notify, so the SDK, the sandbox
 * and the gateway agree on one protocol.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sandboxSecrets } from '../../domain/sandbox-secrets.js';
import { dana } from '../../wallets/dana.js';
import { danaPythonVersion, ensureDanaPython } from '../../scripts/dana-python.js';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox-harness.js';
import { jakartaTimestamp, startRedirectGateway, type RedirectCallback, type RedirectGateway } from '../support/sandbox-redirect-harness.js';

const script = fileURLToPath(new URL('./python/dana_sdk.py', import.meta.url));
const PYTHON_TIMEOUT_MS = 60_000;

type Step = Record<string, unknown> & { call: 'create' | 'query' | 'cancel' | 'refund' | 'parse-webhook' };
interface StepResult {
  ok: boolean;
  response?: Record<string, unknown>;
  status?: number;
  body?: Record<string, unknown>;
  error?: string;
}

const tXid = (): string => `IONPAYTEST05${randomBytes(8).toString('hex').toUpperCase()}`;
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

void describe(`DANA's Python SDK (dana-python ${danaPythonVersion}) against the sandbox DANA, only the host changed`, () => {
  let python: string;
  let gw: RedirectGateway;
  let sb: TestSandbox;

  before(async () => {
    python = await ensureDanaPython();
    gw = await startRedirectGateway();
    sb = await startTestSandbox(gw.baseUrl);
  });
  after(async () => {
    await sb?.close();
    await gw?.close();
  });

  /** Runs the SDK script; any failure shows its stderr. */
  function sdk(steps: Step[], privateKey: string = sandboxSecrets.DANA_PRIVATE_KEY): Promise<StepResult[]> {
    const config = {
      host: `${sb.baseUrl}/dana`,
      // One line with literal \n escapes, as DANA's samples put it in an environment variable.
      privateKey: privateKey.trim().replace(/\n/g, '\\n'),
      partnerId: sandboxSecrets.DANA_PARTNER_ID,
      merchantId: sandboxSecrets.DANA_MERCHANT_ID,
      origin: 'http://merchant.example',
      steps,
    };
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
    return new Promise((resolve, reject) => {
      execFile(python, [script, JSON.stringify(config)], { timeout: PYTHON_TIMEOUT_MS, killSignal: 'SIGKILL', env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        const show = `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
        if (err) {
          reject(new Error(`python ${err.killed ? `timed out after ${PYTHON_TIMEOUT_MS} ms` : `exited with ${String(err.code ?? err.signal)}`}${show}`));
          return;
        }
        try {
          resolve((JSON.parse(stdout.trim().split('\n').pop() ?? '') as { results: StepResult[] }).results);
        } catch {
          reject(new Error(`python printed no JSON line${show}`));
        }
      });
    });
  }

  const create = (ref: string, phone: string, value = '15000.00'): Step => ({
    call: 'create',
    partnerReferenceNo: ref,
    phone,
    value,
    returnUrl: 'http://merchant.example/return',
    notifyUrl: `${gw.baseUrl}/callbacks/dana`,
    validUpTo: jakartaTimestamp(Date.now() + 900_000),
  });
  const ledger = async (ref: string): Promise<Array<{ type: string; amount: number }>> =>
    ((await sb.getJson(`/sandbox/ledger?wallet=DANA&merchantInvoice=${ref}`)) as { entries: Array<{ type: string; amount: number }> }).entries;
  const only = (results: StepResult[], i: number): StepResult => {
    const r = results[i];
    assert.ok(r, `step ${i}`);
    return r;
  };
  const ok = (r: StepResult): Record<string, unknown> => {
    assert.ok(r.ok && r.response, JSON.stringify(r));
    return r.response;
  };

  test('create, query, cancel and refund return DANA’s codes and statuses', async () => {
    const paying = tXid();
    const waiting = tXid();
    const first = await sdk([create(paying, '081234567000'), create(waiting, '081234567002'), { call: 'query', partnerReferenceNo: waiting }, create(waiting, '081234567002', '16000.00')]);
    const created = ok(only(first, 0));
    assert.equal(created.responseCode, '2005400');
    assert.equal(created.partnerReferenceNo, paying);
    assert.match(String(created.webRedirectUrl), new RegExp(`^${sb.baseUrl}/dana/checkout/DANA\\d{16}$`));
    assert.equal(ok(only(first, 1)).responseCode, '2005400');
    const pending = ok(only(first, 2));
    assert.deepEqual([pending.responseCode, pending.latestTransactionStatus, pending.serviceCode], ['2005500', '01', '54']);
    const inconsistent = only(first, 3);
    assert.deepEqual([inconsistent.ok, inconsistent.status, inconsistent.body?.responseCode], [false, 404, '4045418'], 'the same partnerReferenceNo with another amount');

    await waitFor(async () => ((await ledger(paying)).length === 1 ? true : undefined), 'the 000 customer pays');
    const second = await sdk([
      { call: 'query', partnerReferenceNo: paying },
      { call: 'refund', partnerReferenceNo: paying, partnerRefundNo: `${paying}-r1`, value: '5000.00' },
      { call: 'refund', partnerReferenceNo: paying, partnerRefundNo: `${paying}-r1`, value: '5000.00' },
      { call: 'cancel', partnerReferenceNo: paying },
      { call: 'cancel', partnerReferenceNo: waiting },
      { call: 'query', partnerReferenceNo: waiting },
      { call: 'refund', partnerReferenceNo: waiting, partnerRefundNo: `${waiting}-r1`, value: '1000.00' },
      { call: 'query', partnerReferenceNo: tXid() },
    ]);
    const paid = ok(only(second, 0));
    assert.deepEqual([paid.responseCode, paid.latestTransactionStatus, paid.amount], ['2005500', '00', { value: '15000.00', currency: 'IDR' }]);
    assert.match(String(paid.paidTime), /\+07:00$/);
    const refund = ok(only(second, 1));
    assert.deepEqual([refund.responseCode, refund.partnerRefundNo, refund.refundAmount], ['2005800', `${paying}-r1`, { value: '5000.00', currency: 'IDR' }]);
    assert.equal(ok(only(second, 2)).refundNo, refund.refundNo, 'the same partnerRefundNo refunds once');
    const cancelPaid = only(second, 3);
    assert.deepEqual([cancelPaid.ok, cancelPaid.status, cancelPaid.body?.responseCode], [false, 403, '4035715'], 'a paid order is not cancelled');
    const cancelled = ok(only(second, 4));
    assert.deepEqual([cancelled.responseCode, cancelled.originalPartnerReferenceNo], ['2005700', waiting]);
    assert.equal(ok(only(second, 5)).latestTransactionStatus, '05');
    const notPaid = only(second, 6);
    assert.deepEqual([notPaid.status, notPaid.body?.responseCode], [404, '4045800']);
    const unknown = only(second, 7);
    assert.deepEqual([unknown.status, unknown.body?.responseCode], [404, '4045501']);

    assert.deepEqual((await ledger(paying)).map((e) => [e.type, e.amount]), [['charge', 15000], ['refund', 5000]]);
    assert.deepEqual(await ledger(waiting), []);
  });

  test('a request signed with another key gets DANA’s unauthorized code (401xx00) and changes nothing', async () => {
    const known = tXid();
    await sdk([create(known, '081234567899')]);
    const stranger = tXid();
    const results = await sdk(
      [
        create(stranger, '081234567000'),
        { call: 'cancel', partnerReferenceNo: known },
        { call: 'refund', partnerReferenceNo: known, partnerRefundNo: `${known}-r`, value: '1000.00' },
        { call: 'query', partnerReferenceNo: known },
      ],
      otherKey,
    );
    assert.deepEqual(
      results.map((r) => [r.ok, r.status, r.body?.responseCode]),
      [
        [false, 401, '4015400'],
        [false, 401, '4015700'],
        [false, 401, '4015800'],
        [false, 401, '4015500'],
      ],
    );
    const after = await sdk([{ call: 'query', partnerReferenceNo: stranger }, { call: 'query', partnerReferenceNo: known }]);
    assert.equal(only(after, 0).body?.responseCode, '4045501', 'nothing was created');
    assert.equal(ok(only(after, 1)).latestTransactionStatus, '01', 'nothing was cancelled');
    assert.deepEqual([...(await ledger(stranger)), ...(await ledger(known))], []);
  });

  test('the SDK’s webhook parser accepts the finish notify the sandbox sent to the gateway, and refuses it when one byte changes', async () => {
    const ref = tXid();
    await sdk([create(ref, '081234567000')]);
    const [notify] = await waitFor<RedirectCallback[]>(() => (gw.forRef(ref).length > 0 ? gw.forRef(ref) : undefined), 'the finish notify');
    assert.ok(notify?.signatureValid);
    const headers = Object.fromEntries(Object.entries(notify.headers).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const parse = (body: string, path = '/callbacks/dana'): Step => ({ call: 'parse-webhook', publicKey: sandboxSecrets.DANA_PUBLIC_KEY, path, headers, body });
    const flipped = notify.rawBody.replace('"15000.00"', '"15001.00"');
    assert.notEqual(flipped, notify.rawBody);
    const results = await sdk([parse(notify.rawBody), parse(flipped), parse(notify.rawBody, '/dana/callbacks/dana')]);
    const parsed = ok(only(results, 0));
    assert.deepEqual(
      [parsed.originalPartnerReferenceNo, parsed.latestTransactionStatus, parsed.amount, parsed.merchantId],
      [ref, '00', { value: '15000.00', currency: 'IDR' }, sandboxSecrets.DANA_MERCHANT_ID],
    );
    assert.match(String(only(results, 1).error), /Signature verification failed/);
    assert.match(String(only(results, 2).error), /Signature verification failed/, 'signed over the gateway’s own path');

    // The gateway's verifier (what the API checks DANA's notifies with) reads the very same bytes the same way.
    const verifier = dana.verifier({
      baseUrl: `${sb.baseUrl}/dana`,
      merchantId: sandboxSecrets.DANA_MERCHANT_ID,
      publicKey: sandboxSecrets.DANA_PUBLIC_KEY,
      notifyUrl: `${gw.baseUrl}/callbacks/dana`,
    });
    const callback = verifier.parseCallback({ headers: notify.headers, rawBody: Buffer.from(notify.rawBody) });
    assert.deepEqual([callback.tXid, callback.state, callback.amount], [ref, 'PAID', 15000]);
    assert.throws(() => verifier.parseCallback({ headers: notify.headers, rawBody: Buffer.from(flipped) }));
  });
});
