import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { linkWorkflowId } from '../../domain/account-link.js';
import type { accountLinkWorkflow } from '../../workflows/account-link.js';
import {
  authorizeLinkedPaymentUpdate,
  disableLinkUpdate,
  enableLinkUpdate,
  linkCallbackSignal,
  linkQuery,
  type AccountLinkInput,
  type LinkEnableRequest,
  type LinkView,
} from '../../workflows/link-messages.js';
import { paymentQuery, submitPaymentUpdate, walletCallbackSignal } from '../../workflows/messages.js';
import { PaymentStatus } from '../../domain/payment-status.js';
import { redirectPaymentInput, submission } from '../support/payment-input.js';
import { scriptedActivities, type Calls } from '../support/scripted-activities.js';
import { WorkflowSuite } from '../support/workflow-env.js';

const KEY = 'K0000000000000AB';
const input = (overrides: Partial<AccountLinkInput> = {}): AccountLinkInput => ({
  iMid: 'IONPAYTEST',
  linkKey: KEY,
  timeouts: { linkSeconds: 900, notifyRetryHours: 48 },
  ...overrides,
});
const request = (referenceNo = 'LNK-1'): LinkEnableRequest => ({
  referenceNo,
  billingNm: 'Budi',
  billingPhone: '081234560000',
  billingEmail: 'budi@example.com',
  dbProcessUrl: 'http://shop/notify',
  callBackUrl: 'http://shop/linked',
});
const SEALED = 'v1.sealed-token';
const mandate1 = `M${KEY}001`;
const mandate2 = `M${KEY}002`;

type LinkHandle = WorkflowHandle<typeof accountLinkWorkflow>;

/** Every link and linked-payment outcome of CONTRACT §4 on the time-skipping server, with AstraPay scripted. */
describe('account-link workflow (AstraPay)', () => {
  const suite = WorkflowSuite.forEachTest();

  /** linkEnable as the API sends it: update-with-start on the customer's workflow. */
  function enable(tq: string, req: LinkEnableRequest = request(), linkInput: AccountLinkInput = input()) {
    const start = new WithStartWorkflowOperation<typeof accountLinkWorkflow>('accountLinkWorkflow', {
      workflowId: linkWorkflowId(KEY),
      taskQueue: tq,
      args: [linkInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return suite.env.client.workflow.executeUpdateWithStart(enableLinkUpdate, { args: [req], startWorkflowOperation: start });
  }
  const handle = (): LinkHandle => suite.env.client.workflow.getHandle(linkWorkflowId(KEY));
  const statusOf = async (mandateID = mandate1) => (await handle().query(linkQuery)).mandates.find((m) => m.mandateID === mandateID)?.status;

  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`timed out waiting for ${what}`);
  }
  const notifiedOf = (calls: Calls) => calls.linkNotifications.map((x) => [x.mandateID.slice(-3), x.linkStatus]);

  test('callback ACTIVE: the link is active, the merchant notified, payments get the sealed token', async () => {
    const { activities, calls } = scriptedActivities({});
    await suite.withWorker(activities, async (tq) => {
      const receipt = await enable(tq);
      assert.deepEqual(receipt, {
        resultCd: '0000',
        resultMsg: 'SUCCESS',
        mandateID: mandate1,
        referenceNo: 'LNK-1',
        linkStatus: 'PENDING',
        redirectUrl: `https://astrapay.example/register/${mandate1}`,
        created: true,
      });
      await handle().signal(linkCallbackSignal, { mandateID: mandate1, state: 'ACTIVE', providerRef: 'AL1', sealedAccountToken: SEALED });
      await until('ACTIVE', async () => (await statusOf()) === 'ACTIVE');
      const auth = await handle().executeUpdate(authorizeLinkedPaymentUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1, tXid: 'T1' }] });
      assert.equal(auth.sealedAccountToken, SEALED);
      const view = await handle().query(linkQuery);
      assert.equal(view.mandates[0]?.payments, 1);
      assert.equal(JSON.stringify(view).includes(SEALED), false, 'the query never shows the token');
      await until('the notification', async () => calls.linkNotifications.length === 1);
      await suite.maybeRecordHistory(handle(), 'astrapay-link-active');
    });
    assert.deepEqual(notifiedOf(calls), [['001', 'ACTIVE']]);
    assert.equal(calls.linkNotifications[0]?.referenceNo, 'LNK-1');
  });

  test('two linkEnable at once and a third while active: one link, one create at AstraPay', async () => {
    const { activities, calls } = scriptedActivities({});
    await suite.withWorker(activities, async (tq) => {
      const [a, b] = await Promise.all([enable(tq, request('LNK-A')), enable(tq, request('LNK-B'))]);
      assert.equal(a.mandateID, mandate1);
      assert.equal(b.mandateID, mandate1);
      assert.deepEqual([a.created, b.created].sort(), [false, true]);
      assert.equal(a.redirectUrl, b.redirectUrl);
      await handle().signal(linkCallbackSignal, { mandateID: mandate1, state: 'ACTIVE', providerRef: 'AL1', sealedAccountToken: SEALED });
      await until('ACTIVE', async () => (await statusOf()) === 'ACTIVE');
      const c = await enable(tq, request('LNK-C'));
      assert.deepEqual([c.mandateID, c.linkStatus, c.redirectUrl, c.created], [mandate1, 'ACTIVE', undefined, false]);
    });
    assert.equal(calls.linkCreates.length, 1);
  });

  test('callback FAILED: failed, notified; payments refused (9502); the next linkEnable makes mandate 002', async () => {
    const { activities, calls } = scriptedActivities({});
    await suite.withWorker(activities, async (tq) => {
      await enable(tq);
      await handle().signal(linkCallbackSignal, { mandateID: mandate1, state: 'FAILED', providerRef: 'AL1', reason: 'account validation failed' });
      await until('FAILED', async () => (await statusOf()) === 'FAILED');
      await assert.rejects(
        handle().executeUpdate(authorizeLinkedPaymentUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1, tXid: 'T1' }] }),
        (err: unknown) => err instanceof WorkflowUpdateFailedError && /failed/.test(String(err.cause?.message)),
      );
      await assert.rejects(handle().executeUpdate(disableLinkUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1 }] }), WorkflowUpdateFailedError);
      const next = await enable(tq, request('LNK-2'));
      assert.deepEqual([next.mandateID, next.linkStatus, next.created], [mandate2, 'PENDING', true]);
      const reason = (await handle().query(linkQuery)).mandates[0]?.reason;
      assert.equal(reason, 'account validation failed');
      await until('the notification', async () => calls.linkNotifications.length === 1);
    });
    assert.deepEqual(notifiedOf(calls), [['001', 'FAILED']]);
  });

  test('no callback within LINK_TIMEOUT_SECONDS: status check still pending → revoked at AstraPay, expired, notified', async () => {
    const { activities, calls } = scriptedActivities({ link: { status: { state: 'PENDING' } } });
    let view: LinkView | undefined;
    await suite.withWorker(activities, async (tq) => {
      await enable(tq, request(), input({ timeouts: { linkSeconds: 600, notifyRetryHours: 48 } }));
      await suite.env.sleep('10 minutes');
      await until('EXPIRED', async () => (await statusOf()) === 'EXPIRED');
      await until('the revocation', async () => calls.revocations.length === 1);
      view = await handle().query(linkQuery);
      await suite.maybeRecordHistory(handle(), 'astrapay-link-expired');
    });
    const m = view?.mandates[0];
    const waited = (Date.parse(m?.changedAt ?? '') - Date.parse(m?.createdAt ?? '')) / 1000;
    assert.ok(waited >= 600 && waited < 605, `expired after ${waited} s`);
    assert.deepEqual(calls.revocations, [mandate1]);
    assert.deepEqual(notifiedOf(calls), [['001', 'EXPIRED']]);
  });

  test('no callback, but the status check finds the account registered → active with the token from AstraPay', async () => {
    const { activities, calls } = scriptedActivities({ link: { status: { state: 'ACTIVE', providerRef: 'AL1', sealedAccountToken: SEALED } } });
    await suite.withWorker(activities, async (tq) => {
      await enable(tq);
      await suite.env.sleep('16 minutes');
      await until('ACTIVE', async () => (await statusOf()) === 'ACTIVE');
      const auth = await handle().executeUpdate(authorizeLinkedPaymentUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1, tXid: 'T1' }] });
      assert.equal(auth.sealedAccountToken, SEALED);
    });
    assert.equal(calls.linkChecks, 1);
    assert.deepEqual(calls.revocations, []);
  });

  test('AstraPay refuses the link request → failed at once; unreachable with no record → 1001 and nothing kept', async () => {
    const refused = scriptedActivities({ link: { createRejects: 'INVALID_PHONE' } });
    await suite.withWorker(refused.activities, async (tq) => {
      const receipt = await enable(tq);
      assert.deepEqual([receipt.resultCd, receipt.linkStatus], ['0000', 'FAILED']);
    });
    await suite.freshEnv();
    const down = scriptedActivities({ link: { createUnreachable: true } });
    await suite.withWorker(down.activities, async (tq) => {
      const receipt = await enable(tq);
      assert.deepEqual([receipt.resultCd, receipt.mandateID], ['1001', mandate1]);
      assert.deepEqual((await handle().query(linkQuery)).mandates, [], 'no half-made link is kept');
    });
    assert.equal(down.calls.linkNotifications.length, 0);
  });

  test('linkDisable: disabled at once, token dropped, AstraPay told to revoke, merchant notified; again is harmless', async () => {
    const { activities, calls } = scriptedActivities({});
    await suite.withWorker(activities, async (tq) => {
      await enable(tq);
      await handle().signal(linkCallbackSignal, { mandateID: mandate1, state: 'ACTIVE', providerRef: 'AL1', sealedAccountToken: SEALED });
      await until('ACTIVE', async () => (await statusOf()) === 'ACTIVE');
      const disabled = await handle().executeUpdate(disableLinkUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1 }] });
      assert.deepEqual([disabled.status, disabled.hasAccountToken], ['DISABLED', false]);
      const again = await handle().executeUpdate(disableLinkUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1 }] });
      assert.equal(again.status, 'DISABLED');
      await assert.rejects(handle().executeUpdate(authorizeLinkedPaymentUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1, tXid: 'T9' }] }), WorkflowUpdateFailedError);
      await until('the revocation and notifications', async () => calls.revocations.length === 1 && calls.linkNotifications.length === 2);
      // A late ACTIVE callback for the disabled link is revoked again, not obeyed.
      await handle().signal(linkCallbackSignal, { mandateID: mandate1, state: 'ACTIVE', providerRef: 'AL1', sealedAccountToken: SEALED });
      await until('the second revocation', async () => calls.revocations.length === 2);
      assert.equal(await statusOf(), 'DISABLED');
    });
    assert.deepEqual(notifiedOf(calls), [['001', 'ACTIVE'], ['001', 'DISABLED']]);
  });

  test("another merchant's iMid and an unknown mandate are not found", async () => {
    const { activities } = scriptedActivities({});
    await suite.withWorker(activities, async (tq) => {
      await enable(tq);
      for (const ref of [{ iMid: 'OTHERMERCH', mandateID: mandate1 }, { iMid: 'IONPAYTEST', mandateID: `M${KEY}007` }]) {
        await assert.rejects(
          handle().executeUpdate(disableLinkUpdate, { args: [ref] }),
          (err: unknown) => err instanceof WorkflowUpdateFailedError && (err.cause as { type?: string } | undefined)?.type === 'NotFound',
        );
      }
    });
  });

  test('a long-lived link continues as new and keeps its links, however many payments it serves', async () => {
    const { activities } = scriptedActivities({});
    await suite.withWorker(activities, async (tq) => {
      const first = await enable(tq, request(), input({ historyLimit: 40 }));
      await handle().signal(linkCallbackSignal, { mandateID: first.mandateID, state: 'ACTIVE', providerRef: 'AL1', sealedAccountToken: SEALED });
      await until('ACTIVE', async () => (await statusOf()) === 'ACTIVE');
      const firstRun = (await handle().describe()).runId;
      for (let i = 0; i < 30; i++) {
        const auth = await handle().executeUpdate(authorizeLinkedPaymentUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1, tXid: `T${i}` }] });
        assert.equal(auth.sealedAccountToken, SEALED);
      }
      await until('a new run', async () => (await handle().describe()).runId !== firstRun);
      const view = await handle().query(linkQuery);
      assert.equal(view.mandates[0]?.status, 'ACTIVE');
      assert.ok((view.mandates[0]?.payments ?? 0) >= 20, 'the payment count is carried');
      const auth = await handle().executeUpdate(authorizeLinkedPaymentUpdate, { args: [{ iMid: 'IONPAYTEST', mandateID: mandate1, tXid: 'T-after' }] });
      assert.equal(auth.sealedAccountToken, SEALED, 'the token is carried, still sealed');
      const again = await enable(tq, request('LNK-9'));
      assert.deepEqual([again.mandateID, again.linkStatus], [mandate1, 'ACTIVE']);
      const { historyLength } = await handle().describe();
      assert.ok(historyLength < 60, `history stays small: ${historyLength} events`);
    });
  });

  test('a linked AstraPay payment sends the sealed token with the create call, and ends like any redirect payment', async () => {
    const { activities, calls } = scriptedActivities({ redirectUrl: 'http://sandbox/astrapay/verify/AP1' });
    const view = await suite.withWorker(activities, async (tq) => {
      const base = redirectPaymentInput('ASTR', '000');
      const handle = await suite.startPayment(tq, { ...base, accountLink: { mandateID: mandate1, sealedAccountToken: SEALED } });
      const outcome = await handle.executeUpdate(submitPaymentUpdate, { args: [submission()] });
      assert.equal(outcome.redirectUrl, 'http://sandbox/astrapay/verify/AP1');
      await handle.signal(walletCallbackSignal, { state: 'PAID', amount: 15_000, providerRef: 'AP1' });
      const settled = await handle.result();
      assert.equal((await handle.query(paymentQuery)).status, PaymentStatus.Paid);
      await suite.maybeRecordHistory(handle, 'astrapay-payment-paid');
      return settled;
    });
    assert.equal(view.status, PaymentStatus.Paid);
    assert.deepEqual(calls.paymentTokens, [SEALED]);
    assert.deepEqual(calls.notifications.map((n) => n.status), [0]);
  });
});
