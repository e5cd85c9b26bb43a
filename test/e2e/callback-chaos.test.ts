import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { paymentWorkflowId } from '../../domain/tx-id.js';
import { SANDBOX_DANA_PRIVATE_KEY } from '../../sandbox/dana/sandbox-keys.js';
import { SANDBOX_LINKAJA_PRIVATE_KEY } from '../../sandbox/linkaja/sandbox-keys.js';
import { SANDBOX_OVO_PRIVATE_KEY } from '../../sandbox/ovo/sandbox-keys.js';
import { SANDBOX_ASTRAPAY_PRIVATE_KEY } from '../../sandbox/astrapay/sandbox-keys.js';
import { SANDBOX_SHOPEEPAY_PRIVATE_KEY } from '../../sandbox/shopeepay/sandbox-keys.js';
import { paymentQuery, type PaymentView } from '../../workflows/messages.js';
import type { paymentWorkflow } from '../../workflows/payment.js';
import { deliver, forgeCallback, forgeWallets, mitraCdOf, tamperedToPaid, unsigned, type CallbackFacts, type ForgedCallback, type ForgeWallet } from '../support/callback-forge.js';
import { useE2eStack } from '../support/e2e-stack.js';
import { waitFor, type Reply } from '../support/nicepay-client.js';

/**
 * Callback chaos (issue 15): duplicate, reordered, delayed and forged wallet callbacks, for every wallet, against the
 * real stack (Temporal dev server, worker, API over HTTP, sandbox wallets, a merchant). Callbacks are written the way
 * each wallet writes them and signed with its callback secret by `callback-forge.ts` (not the sandbox's or the
 * gateway's code). Payments of a phone without a magic ending stay pending at the wallet, so the test decides them;
 * magic endings (000, 006) let the real sandbox pay, and pay late.
 *
 * "Nothing changes" = inquiry status and cancelAmt, the status history and audit trail in the workflow, the
 * merchant's notifications and the sandbox ledger are what they were.
 */
const WINDOW_SECONDS = 8;

describe('callback chaos: duplicate, reordered, delayed and forged wallet callbacks', { concurrency: true }, () => {
  // Windows a little longer than the stack's 4 s: every wallet's cases run at once, and the forged callbacks on a
  // pending payment must all land inside its window. The 006 customer approves 3 s after the window.
  const e2e = useE2eStack({
    OVO_PUSH_TIMEOUT_SECONDS: String(WINDOW_SECONDS),
    CHECKOUT_TIMEOUT_SECONDS: String(WINDOW_SECONDS),
    SANDBOX_LATE_APPROVE_MS: String(WINDOW_SECONDS * 1000 + 3000),
  });

  interface Tx {
    readonly wallet: ForgeWallet;
    readonly tXid: string;
    readonly reg: Reply;
    readonly providerRef: string;
  }

  let n = 0;
  /** A fresh phone ending in `ending` (three digits). `123` is no magic value: the payment waits for a person. */
  const phone = (ending: string) => `0812${String(Date.now() % 100_000).padStart(5, '0')}${String(++n % 10)}${ending}`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Long enough for a callback the gateway wrongly took to show (a status change, a notification). */
  const settle = () => sleep(1_000);

  /** The key each wallet signs its callbacks with: every wallet is on SNAP, so its RSA key (the sandbox's). */
  const secretOf = (wallet: ForgeWallet): string =>
    ({ ovo: SANDBOX_OVO_PRIVATE_KEY, dana: SANDBOX_DANA_PRIVATE_KEY, shopeepay: SANDBOX_SHOPEEPAY_PRIVATE_KEY, linkaja: SANDBOX_LINKAJA_PRIVATE_KEY, astrapay: SANDBOX_ASTRAPAY_PRIVATE_KEY })[wallet];
  const sign = (wallet: ForgeWallet, facts: CallbackFacts) => forgeCallback(wallet, facts, secretOf(wallet));
  const send = async (cb: ForgedCallback, path?: string) => (await deliver(e2e.stack.apiUrl, cb, path)).status;
  const facts = (tx: Tx, state: CallbackFacts['state'], more: Partial<CallbackFacts> = {}): CallbackFacts => ({ tXid: tx.tXid, providerRef: tx.providerRef, amount: 15000, state, ...more });
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  /** The next wallet in the list: its callbacks naming this wallet's transactions. */
  const otherWallet = (wallet: ForgeWallet): ForgeWallet => forgeWallets[(forgeWallets.indexOf(wallet) + 1) % forgeWallets.length] ?? 'ovo';
  const madeUpTxId = () => `IONPAYTEST05${[...randomBytes(18)].map((b) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 36]).join('')}`;

  /** The payment's own view: its result once closed (a paid payment closes as its merchant is told), else asked. */
  const view = async (tXid: string): Promise<PaymentView> => {
    const handle = e2e.stack.client.workflow.getHandle<typeof paymentWorkflow>(paymentWorkflowId(tXid));
    for (;;) {
      const { status, raw } = await handle.describe();
      if (status.name !== 'RUNNING') return handle.result();
      // A query sent while the task that closes the workflow runs may go unanswered: wait for the task.
      if (raw.pendingWorkflowTask == null) return handle.query(paymentQuery);
      await sleep(25);
    }
  };

  /** What the merchant, the gateway and the wallet say about the transaction. */
  async function observe(tx: Tx) {
    const [inquiry, v, ledger] = await Promise.all([e2e.client.inquire(tx.reg), view(tx.tXid), e2e.stack.ledger(tx.tXid)]);
    return {
      status: String(inquiry.status),
      cancelAmt: String(inquiry.cancelAmt),
      history: v.history.map((h) => h.status),
      audit: v.audit.map((a) => a.detail),
      notifications: e2e.stack.merchant.for(tx.tXid).map((x) => `${x.fields.status}/${x.fields.cancelAmt}`),
      ledger: ledger.map((e) => `${e.type} ${e.amount}`),
    };
  }

  /** AstraPay links, one per ending of the phone registered on AstraPay's page (payments follow that phone). */
  const links = new Map<string, Promise<string>>();
  function linkRegisteredAs(ending: string): Promise<string> {
    let link = links.get(ending);
    if (!link) {
      link = (async () => {
        const enabled = await e2e.client.linkEnable(phone('555'));
        assert.equal(enabled.resultCd, '0000', enabled.resultMsg);
        const mandateID = enabled.mandateID ?? '';
        const res = await fetch(enabled.redirectUrl ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ phone: `08120000${ending.padStart(4, '0')}`, name: 'Budi Santoso', otp: '123456' }).toString(),
          redirect: 'manual',
        });
        assert.equal(res.status, 303, 'AstraPay registration page');
        await waitFor(() => e2e.stack.merchant.forMandate(mandateID).find((x) => x.fields.linkStatus === 'ACTIVE'), `link ${mandateID} ACTIVE`, 20_000);
        return mandateID;
      })();
      links.set(ending, link);
    }
    return link;
  }

  /** A payment submitted to the wallet (status 4) by a customer whose phone ends in `ending`. */
  async function start(wallet: ForgeWallet, ending: string): Promise<Tx> {
    let reg: Reply;
    if (wallet === 'astrapay') {
      const pay = await e2e.client.linkInitiate(await linkRegisteredAs(ending));
      assert.equal(pay.resultCd, '0000', `${wallet} linkInitiate: ${pay.resultMsg}`);
      reg = { tXid: pay.tXid ?? '', referenceNo: pay.referenceNo ?? '', amt: '15000' };
    } else {
      reg = await e2e.client.register(phone(ending), { mitraCd: mitraCdOf[wallet] });
      assert.equal(reg.resultCd, '0000', `${wallet} registration: ${reg.resultMsg}`);
      const pay = await e2e.client.payJson(reg);
      assert.equal(pay.resultCd, '0000', `${wallet} payment: ${pay.resultMsg}`);
    }
    const tXid = reg.tXid ?? '';
    const v = await waitFor(async () => {
      const current = await view(tXid);
      return current.providerRef !== undefined && current;
    }, `${wallet} ${tXid} at the wallet`);
    // A magic customer (000, 006) may already have answered; a person (123) has not.
    if (ending === '123') assert.equal(v.status, 4, `${wallet} ${tXid} processing`);
    return { wallet, tXid, reg, providerRef: v.providerRef ?? '' };
  }

  const notified = (tx: Tx, status: string, cancelAmt = '0', timeoutMs = 20_000) =>
    waitFor(() => e2e.stack.merchant.for(tx.tXid).find((x) => x.fields.status === status && x.fields.cancelAmt === cancelAmt), `${tx.wallet} ${tx.tXid}: notification ${status}/${cancelAmt}`, timeoutMs);

  for (const wallet of forgeWallets) {
    test(`${wallet}: the same PAID callback 5 times at once, then 10 more → one change to 0, one notification`, async () => {
      const tx = await start(wallet, '123');
      const paid = sign(wallet, facts(tx, 'PAID'));
      assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map(() => send(paid))), [200, 200, 200, 200, 200]);
      await notified(tx, '0');
      // The very same bytes again (a retry), and the same event signed afresh (a wallet's next attempt).
      for (let i = 0; i < 5; i++) assert.equal(await send(paid), 200);
      assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map(() => send(sign(wallet, facts(tx, 'PAID'))))), [200, 200, 200, 200, 200]);
      await settle();
      const after = await observe(tx);
      assert.equal(after.status, '0');
      assert.equal(after.cancelAmt, '0');
      assert.deepEqual(after.history, [3, 9, 4, 0], 'one status change to 0');
      assert.deepEqual(after.notifications, ['0/0'], 'exactly one notification');
      assert.deepEqual(after.audit, []);
      assert.deepEqual(after.ledger, [], 'the sandbox never charged a payment only the test said was paid');
    });

    test(`${wallet}: reordered — stale PENDING and FAILED after the wallet's PAID stay 0; PENDING before PAID, then 0`, async () => {
      const [genuine, pendingFirst] = await Promise.all([start(wallet, '000'), start(wallet, '123')]);

      // The sandbox's own PAID (000) decides; then a stale PENDING (older event time) and a FAILED arrive.
      await notified(genuine, '0');
      const before = await observe(genuine);
      assert.deepEqual(before.ledger, ['charge 15000']);
      assert.equal(await send(sign(wallet, facts(genuine, 'PENDING', { eventTime: minutesAgo(1) }))), 200);
      assert.equal(await send(sign(wallet, facts(genuine, 'FAILED'))), 200);
      await settle();
      const after = await observe(genuine);
      assert.deepEqual({ ...after, audit: [] }, { ...before, audit: [] }, 'still paid, notified once, charged once');
      assert.deepEqual(after.history, [3, 9, 4, 0]);

      // A PENDING first changes nothing; the PAID after it decides.
      const pendingBefore = await observe(pendingFirst);
      assert.equal(await send(sign(wallet, facts(pendingFirst, 'PENDING'))), 200);
      await settle();
      assert.deepEqual(await observe(pendingFirst), pendingBefore, 'PENDING changes nothing');
      assert.equal(await send(sign(wallet, facts(pendingFirst, 'PAID'))), 200);
      await notified(pendingFirst, '0');
      await settle();
      const paid = await observe(pendingFirst);
      assert.deepEqual([paid.status, paid.history, paid.notifications], ['0', [3, 9, 4, 0], ['0/0']]);
    });

    test(`${wallet}: delayed — a genuinely late payment is refunded once however often its PAID comes; a late forged PAID`, async () => {
      const [late, expired] = await Promise.all([start(wallet, '006'), start(wallet, '123')]);

      // 006: the sandbox charges after the gateway expired the payment; the gateway refunds `late-<tXid>` and tells the merchant.
      await notified(late, '5', '0', 30_000);
      await notified(late, '5', '15000', 30_000);
      await waitFor(async () => (await e2e.stack.ledger(late.tXid)).length === 2, `${wallet} 006 refund in the ledger`);
      const reconciled = await observe(late);
      assert.deepEqual([reconciled.status, reconciled.cancelAmt], ['5', '15000']);
      assert.deepEqual(reconciled.ledger, ['charge 15000', 'refund 15000']);
      assert.deepEqual(reconciled.notifications, ['5/0', '5/15000']);
      // The late PAID delivered again, 5 times at once: nothing more is refunded, nobody is told again.
      assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map(() => send(sign(wallet, facts(late, 'PAID'))))), [200, 200, 200, 200, 200]);
      await settle();
      assert.deepEqual(await observe(late), reconciled, 'the late PAID again changes nothing');

      // No callback in the window: the gateway checks, voids and expires it (5).
      await notified(expired, '5', '0', 30_000);
      const before = await observe(expired);
      assert.deepEqual([before.status, before.cancelAmt, before.ledger, before.notifications], ['5', '0', [], ['5/0']]);
      // A late PAID with a bad signature is refused before it reaches the payment: no refund is even tried.
      assert.equal(await send(forgeCallback(wallet, facts(expired, 'PAID'), 'not-the-wallets-secret')), 401);
      await settle();
      assert.deepEqual(await observe(expired), before, 'a forged late PAID changes nothing');
      // A validly signed late PAID the wallet never charged: the gateway asks the wallet to refund `late-<tXid>`, the
      // wallet answers "not paid", and that is recorded; the status stays 5, nothing refunded, nobody told.
      assert.equal(await send(sign(wallet, facts(expired, 'PAID'))), 200);
      const recorded = await waitFor(async () => {
        const now = await observe(expired);
        return now.audit.length > before.audit.length && now;
      }, `${wallet}: the late PAID reconciled`);
      assert.match(recorded.audit.at(-1) ?? '', /^late payment of 15000 could NOT be refunded/);
      await settle();
      assert.deepEqual({ ...(await observe(expired)), audit: [] }, { ...before, audit: [] }, 'status 5, cancelAmt 0, no notification, no ledger entry');
    });

    test(`${wallet}: forged — bad signature, wrong amount, unknown transaction, replayed, another wallet's → refused, nothing changes`, async () => {
      const [pending, paid] = await Promise.all([start(wallet, '123'), start(wallet, '000')]);
      const other = otherWallet(wallet);
      /** Each forged callback and the HTTP status it must get. */
      const forgeries = (tx: Tx, state: 'PAID' | 'FAILED'): [string, ForgedCallback, number, string?][] => [
        ['signed with another key', forgeCallback(wallet, facts(tx, state), 'not-the-wallets-secret'), 401],
        [`signed with ${other}'s secret`, forgeCallback(wallet, facts(tx, state), secretOf(other)), 401],
        ['no signature', unsigned(sign(wallet, facts(tx, state))), 401],
        ['tampered after signing (FAILED signed, PAID sent)', tamperedToPaid(sign(wallet, facts(tx, 'FAILED'))), 401],
        ['wrong amount, validly signed', sign(wallet, facts(tx, state, { amount: 14000 })), 422],
        ['unknown transaction, validly signed', sign(wallet, { ...facts(tx, state), tXid: madeUpTxId() }), 404],
        [`${other}'s callback, validly signed, naming this transaction`, sign(other, facts(tx, state)), 404],
        [`this wallet's callback posted to ${other}'s path`, sign(wallet, facts(tx, state)), 401, `/callbacks/${other}`],
        ['replayed: signed 11 minutes ago', sign(wallet, facts(tx, state, { signedAt: minutesAgo(11), eventTime: minutesAgo(11) })), 401],
        ['dated 11 minutes ahead', sign(wallet, facts(tx, state, { signedAt: minutesAgo(-11), eventTime: minutesAgo(-11) })), 401],
      ];
      const deliverAll = async (tx: Tx, state: 'PAID' | 'FAILED') => {
        const list = forgeries(tx, state);
        const got = await Promise.all(list.map(async ([what, cb, , path]) => [what, await send(cb, path)] as const));
        assert.deepEqual(Object.fromEntries(got), Object.fromEntries(list.map(([what, , code]) => [what, code])), `${wallet} ${state} forgeries`);
      };

      // On a pending payment, forged PAIDs: refused, and none of them is kept as the wallet's word...
      const pendingBefore = await observe(pending);
      await deliverAll(pending, 'PAID');
      await settle();
      assert.deepEqual(await observe(pending), pendingBefore, 'the pending payment is unchanged');
      // ...as the genuine (validly signed) FAILED that follows decides it: a forged PAID taken first would have won.
      assert.equal(await send(sign(wallet, facts(pending, 'FAILED'))), 200);
      await notified(pending, '8');
      await settle();
      const failed = await observe(pending);
      assert.deepEqual([failed.status, failed.cancelAmt, failed.history, failed.notifications, failed.ledger], ['8', '0', [3, 9, 4, 8], ['8/0'], []]);

      // On a payment the sandbox really charged (000), forged FAILEDs: refused, nothing changes.
      await notified(paid, '0');
      const paidBefore = await observe(paid);
      assert.deepEqual(paidBefore.ledger, ['charge 15000']);
      await deliverAll(paid, 'FAILED');
      await settle();
      assert.deepEqual(await observe(paid), paidBefore, 'the paid payment is unchanged');
    });
  }

  test('shopeepay: an old notify (signed 11 minutes ago) replayed on a paid payment changes nothing', async () => {
    const tx = await start('shopeepay', '000');
    await notified(tx, '0');
    const before = await observe(tx);
    const old = { eventTime: minutesAgo(11), signedAt: minutesAgo(11) };
    const codes = [await send(sign('shopeepay', facts(tx, 'PAID', old))), await send(sign('shopeepay', facts(tx, 'FAILED', old)))];
    await settle();
    const after = await observe(tx);
    assert.deepEqual({ ...after, audit: [] }, { ...before, audit: [] }, `answered ${codes.join(', ')}`);
  });

  test('shopeepay: a notify signed more than 10 minutes ago is refused (401) like the other wallets\' replays', async () => {
    const tx = await start('shopeepay', '123');
    assert.equal(await send(sign('shopeepay', facts(tx, 'PAID', { eventTime: minutesAgo(11), signedAt: minutesAgo(11) }))), 401);
  });

  test('a FAILED or stale PENDING after PAID changes nothing; the paid payment has closed, so the API counts them (README)', async () => {
    const closedCallbacks = async () => {
      const text = await (await fetch(`${e2e.stack.opsUrl}/metrics`)).text();
      return Number(/^ewallet_callbacks_total\{[^}]*provider="ovo"[^}]*outcome="closed"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const tx = await start('ovo', '123');
    assert.equal(await send(sign('ovo', facts(tx, 'PAID'))), 200);
    await notified(tx, '0');
    await waitFor(async () => ((await e2e.stack.client.workflow.getHandle(paymentWorkflowId(tx.tXid)).describe()).status.name === 'COMPLETED' ? true : undefined), 'closed once notified');
    const before = await observe(tx);
    const counted = await closedCallbacks();
    assert.equal(await send(sign('ovo', facts(tx, 'FAILED'))), 200);
    assert.equal(await send(sign('ovo', facts(tx, 'PENDING', { eventTime: minutesAgo(1) }))), 200);
    await settle();
    assert.deepEqual(await observe(tx), before);
    assert.ok((await closedCallbacks()) >= counted + 2, 'both counted as callbacks for a closed transaction');
  });

  test('a fractional amount that rounds to the transaction\'s (DANA, ShopeePay "14999.50") is refused (422)', async () => {
    const [dana, shopee] = await Promise.all([start('dana', '123'), start('shopeepay', '123')]);
    const codes = [await send(sign('dana', facts(dana, 'PAID', { wireAmount: '14999.50' }))), await send(sign('shopeepay', facts(shopee, 'PAID', { wireAmount: '14999.50' })))];
    await settle();
    const [d, s] = await Promise.all([observe(dana), observe(shopee)]);
    assert.deepEqual([codes, d.status, s.status], [[422, 422], '4', '4']);
  });
});

describe('callback chaos: a wallet callback after the transaction closed', () => {
  // Refund and settlement windows of 2 s: a final payment's workflow completes soon after, as one does after 30 days.
  const e2e = useE2eStack({ SETTLEMENT_WINDOW_SECONDS: '2', REFUND_WINDOW_SECONDS: '2' });
  const answers: number[] = [];
  let reg: Reply = {};

  before(async () => {
    reg = await e2e.client.register(`081230000000`);
    assert.equal((await e2e.client.payJson(reg)).resultCd, '0000');
    const tXid = reg.tXid ?? '';
    await e2e.stack.notified(tXid, '0');
    const handle = e2e.stack.client.workflow.getHandle(paymentWorkflowId(tXid));
    await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED', `${tXid} closed`, 30_000);
    const providerRef = (await handle.query(paymentQuery)).providerRef ?? '';
    const secret = SANDBOX_OVO_PRIVATE_KEY;
    for (const state of ['PAID', 'FAILED'] as const) {
      answers.push((await deliver(e2e.stack.apiUrl, forgeCallback('ovo', { tXid, providerRef, amount: 15000, state }, secret))).status);
    }
  });

  test('validly signed PAID and FAILED callbacks for a closed, paid transaction change nothing', async () => {
    const tXid = reg.tXid ?? '';
    const inquiry = await e2e.client.inquire(reg);
    assert.deepEqual([inquiry.status, inquiry.cancelAmt], ['0', '0']);
    assert.deepEqual(e2e.stack.merchant.for(tXid).map((x) => x.fields.status), ['0']);
    assert.deepEqual((await e2e.stack.ledger(tXid)).map((e) => e.type), ['charge']);
  });

  test('they are answered without asking the wallet to retry (no 5xx)', () => {
    assert.deepEqual(answers.map((code) => code < 500), [true, true], `answered ${answers.join(', ')}`);
  });
});

