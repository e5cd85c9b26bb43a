/**
 * NICEPAY's official Python client (PyPI `python-nicepay`) works against the gateway with only its base URL
 * changed: test/e2e/python/nicepay_client.py registers and inquires with the library's own builders and
 * services; the TS client pays in between (the library's payment call opens a web browser).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sandboxMerchant } from '../../domain/merchants.js';
import { ensurePythonClient, pythonNicepayVersion } from '../../scripts/python-client.js';
import { E2eStack } from '../support/e2e-stack.js';
import { waitFor, type NicepayTestClient, type Reply } from '../support/nicepay-client.js';

const script = fileURLToPath(new URL('./python/nicepay_client.py', import.meta.url));
const PYTHON_TIMEOUT_MS = 60_000;

interface RecordedCall {
  url: string;
  endpoint: string;
  headers: Record<string, string>;
  request: Record<string, unknown>;
  response: Reply;
  httpStatus?: number;
  sentContentType?: string;
  receivedContentType?: string;
}

interface PythonOutput {
  registration: Reply | null;
  inquiry: Reply | null;
  cancel?: Reply;
  calls: RecordedCall[];
}

type PythonConfig = { action: 'register-and-inquire' } | { action: 'inquire' | 'cancel'; tXid: string; referenceNo: string; amt: string };

/** Runs the merchant script in the venv; any failure shows the script's stderr (the library logs there). */
function runPython(python: string, stack: E2eStack, config: PythonConfig): Promise<PythonOutput> {
  const full = {
    baseUrl: `${stack.apiUrl}/nicepay`,
    iMid: sandboxMerchant.iMid,
    merchantKey: sandboxMerchant.merchantKey,
    dbProcessUrl: `${stack.merchant.url}/notify`,
    callbackUrl: `${stack.merchant.url}/return`,
    billingPhone: '081200000000',
    mitraCd: 'OVOE',
    amt: 15000,
    ...config,
  };
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
  return new Promise((resolve, reject) => {
    execFile(python, [script, JSON.stringify(full)], { timeout: PYTHON_TIMEOUT_MS, killSignal: 'SIGKILL', env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const show = `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
      if (err) {
        const why = err.killed ? `timed out after ${PYTHON_TIMEOUT_MS} ms` : `exited with ${String(err.code ?? err.signal)}`;
        reject(new Error(`python ${full.action} ${why}${show}`));
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as PythonOutput);
      } catch {
        reject(new Error(`python ${full.action} printed no JSON line${show}`));
      }
    });
  });
}

function call(output: PythonOutput, endpoint: string): RecordedCall {
  const found = output.calls.find((c) => c.endpoint === endpoint);
  assert.ok(found, `the library called ${endpoint}: ${JSON.stringify(output.calls.map((c) => c.endpoint))}`);
  return found;
}

describe(`NICEPAY's Python client (python-nicepay ${pythonNicepayVersion}) against the gateway, only the base URL changed`, () => {
  let stack: E2eStack;
  let client: NicepayTestClient;
  let python: string;
  let reg: Reply | undefined;
  before(async () => {
    python = await ensurePythonClient();
    stack = await E2eStack.start();
    client = stack.merchantClient();
  });
  after(async () => {
    await stack?.stop();
  });

  test('the library registers an OVO payment (0000, a tXid) and its inquiry sees it unpaid (3)', async () => {
    const out = await runPython(python, stack, { action: 'register-and-inquire' });
    const registration = out.registration;
    assert.ok(registration, 'a registration answer');
    assert.equal(registration.resultCd, '0000', registration.resultMsg);
    assert.match(registration.tXid ?? '', /^IONPAYTEST05[0-9A-Z]{18}$/);
    assert.deepEqual([registration.payMethod, registration.mitraCd, registration.amt, registration.currency], ['05', 'OVOE', '15000', 'IDR']);
    assert.match(registration.referenceNo ?? '', /^OrdNo\d{14}$/, 'the library makes the referenceNo itself');

    // What the library sent, as NICEPAY's own client sends it, and that the gateway answered it over HTTP 200.
    const sent = call(out, '/direct/v2/registration');
    assert.equal(sent.url, `${stack.apiUrl}/nicepay/direct/v2/registration`);
    assert.deepEqual([sent.httpStatus, sent.sentContentType], [200, 'Application/JSON']);
    assert.match(sent.receivedContentType ?? '', /^application\/json/);
    assert.deepEqual([sent.request.iMid, sent.request.mitraCd, sent.request.payMethod, sent.request.billingPhone, sent.request.dbProcessUrl], [
      'IONPAYTEST', 'OVOE', '05', '081200000000', `${stack.merchant.url}/notify`,
    ]);
    assert.equal(typeof sent.request.cartData, 'string', 'cartData goes as a JSON string');
    assert.equal(registration.description, sent.request.description, 'the description is kept and echoed');

    const inquiry = out.inquiry;
    assert.ok(inquiry, 'an inquiry answer');
    assert.deepEqual([inquiry.resultCd, inquiry.tXid, inquiry.referenceNo, inquiry.status, inquiry.amt], ['0000', registration.tXid, registration.referenceNo, '3', '15000']);
    const asked = call(out, '/direct/v2/inquiry');
    assert.deepEqual([asked.httpStatus, asked.sentContentType], [200, 'Application/JSON']);
    reg = registration;
  });

  test('paid with the TS client (returnJsonFormat=1), the merchant is notified at the dbProcessUrl the library registered', async () => {
    assert.ok(reg?.tXid, 'the Python registration passed');
    const pay = await client.payJson(reg);
    assert.deepEqual([pay.resultCd, pay.tXid, pay.status], ['0000', reg.tXid, '4'], pay.resultMsg);
    const note = await waitFor(() => stack.merchant.for(reg?.tXid ?? '').find((n) => n.fields.status === '0'), 'the paid notification');
    assert.equal(note.tokenValid, true);
    assert.deepEqual([note.fields.referenceNo, note.fields.amt], [reg.referenceNo, '15000']);
  });

  test('the library\'s inquiry then sees it paid (0)', async () => {
    assert.ok(reg?.tXid && reg.referenceNo && reg.amt, 'the Python registration passed');
    const out = await runPython(python, stack, { action: 'inquire', tXid: reg.tXid, referenceNo: reg.referenceNo, amt: reg.amt });
    const inquiry = out.inquiry;
    assert.ok(inquiry, 'an inquiry answer');
    assert.deepEqual([inquiry.resultCd, inquiry.tXid, inquiry.status, inquiry.mitraCd, inquiry.amt, inquiry.cancelAmt], ['0000', reg.tXid, '0', 'OVOE', '15000', '0'], inquiry.resultMsg);
    assert.equal(call(out, '/direct/v2/inquiry').httpStatus, 200);
  });

  test("the library's cancel refunds the paid payment in full (2), once, at the wallet", async () => {
    assert.ok(reg?.tXid && reg.referenceNo && reg.amt, 'the Python registration passed');
    const out = await runPython(python, stack, { action: 'cancel', tXid: reg.tXid, referenceNo: reg.referenceNo, amt: reg.amt });
    const answer = out.cancel;
    assert.ok(answer, 'a cancel answer');
    assert.deepEqual([answer.resultCd, answer.tXid, answer.status, answer.cancelAmt], ['0000', reg.tXid, '2', '15000'], answer.resultMsg);
    const sent = call(out, '/direct/v2/cancel');
    assert.deepEqual([sent.httpStatus, sent.request.cancelType, sent.request.cancelUserId], [200, '1', 'Admin']);
    assert.deepEqual((await stack.ledger(reg.tXid)).map((e) => e.type), ['charge', 'refund']);
  });
});
