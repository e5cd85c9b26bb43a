import { condition, log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { WalletStatusResult } from '../activities/wallets/adapter.js';
import { FailureType } from '../domain/failures.js';
import { cancelPlan, walletVerdict } from '../domain/payment-rules.js';
import { PaymentStatus, isFinal } from '../domain/payment-status.js';
import { applicationCause, describeFailure, isFailureOfType } from './failures.js';
import type { CancelOutcome, CancelRecord, PaymentSubmission, PaymentWorkflowInput, SubmissionOutcome, WalletCallbackEvent } from './messages.js';
import { walletCreateLocalOptions, walletMoneyBackOptions, walletStatusOptions } from './options.js';
import { Deadline } from './deadline.js';
import type { PaymentRecord } from './payment-record.js';
import { cancelFinal, done, refused } from './refund-desk.js';

// The create call is a local activity: fewer events and round trips (bench/README.md).
const { createWalletPayment } = proxyLocalActivities<Activities>(walletCreateLocalOptions);
const { checkWalletStatus } = proxyActivities<Activities>(walletStatusOptions);
const { voidWalletPayment, refundWalletPayment } = proxyActivities<Activities>(walletMoneyBackOptions);

/** How often the workflow asks again while a wallet cannot be reached (the outcome is unknown, never guessed). */
const UNREACHABLE_RECHECK_MS = 60_000;

/**
 * Taking the money: the submission, the wallet's create call, its verdict (callback or status check), and the
 * merchant's void while the wallet has the payment. The payment workflow runs `collect` once per submission; the
 * callback signal feeds `decisive`.
 */
export class PaymentCollection {
  submission: PaymentSubmission | undefined;
  outcome: SubmissionOutcome | undefined;
  /** The wallet's first final word (callback) while it has the payment. */
  decisive: WalletCallbackEvent | undefined;
  /** A create call is in flight: a cancel waits for its answer rather than race it at the wallet. */
  creating = false;

  constructor(
    private readonly record: PaymentRecord,
    private readonly input: PaymentWorkflowInput,
  ) {}

  /** The submit update: the first submission is taken; a repeated one (a reload, a retry) waits for the same answer. */
  async submit(sub: PaymentSubmission): Promise<SubmissionOutcome> {
    const { record } = this;
    if (record.status === PaymentStatus.Unpaid && this.submission === undefined) {
      this.submission = sub;
      this.outcome = undefined;
      record.callBackUrl = sub.callBackUrl ?? record.registration.callBackUrl;
    }
    await condition(() => this.outcome !== undefined || isFinal(record.status));
    return this.outcome ?? { outcome: 'accepted', status: record.status, ...(record.redirectUrl ? { redirectUrl: record.redirectUrl } : {}) };
  }

  async collect(sub: PaymentSubmission): Promise<void> {
    const { record, input } = this;
    const reg = record.registration;
    if (isFinal(record.status)) return;
    record.setStatus(PaymentStatus.Initiated, 'payment submitted');
    const window = input.flow === 'push' ? input.timeouts.ovoPushSeconds : input.timeouts.checkoutSeconds;
    // From history (the submission), not this task's clock: a retried create sends the very same deadline.
    const expiresAt = new Date(Date.parse(sub.submittedAt) + window * 1000).toISOString();
    this.creating = true;
    try {
      const created = await createWalletPayment({
        mitraCd: reg.mitraCd,
        tXid: record.tXid,
        referenceNo: reg.referenceNo,
        amount: reg.amt,
        phone: reg.billingPhone,
        goodsName: reg.goodsNm,
        merchantName: reg.merchantName,
        expirySeconds: window,
        expiresAt,
        ...(input.accountLink ? { sealedAccountToken: input.accountLink.sealedAccountToken } : {}),
      });
      record.providerRef = created.providerRef;
      record.redirectUrl = created.redirectUrl;
      record.setStatus(PaymentStatus.Processing, 'wallet accepted the payment request');
      this.outcome = { outcome: 'accepted', status: record.status, ...(record.redirectUrl ? { redirectUrl: record.redirectUrl } : {}) };
    } catch (err) {
      if (isFailureOfType(err, FailureType.WalletRejected)) {
        const detail = applicationCause(err)?.details?.[0];
        record.failureReason = typeof detail === 'string' ? detail : describeFailure(err);
        record.setStatus(PaymentStatus.Failed, `wallet refused the payment request: ${record.failureReason}`);
        this.outcome = { outcome: 'refused', reason: record.failureReason, status: record.status };
        return;
      }
      if (!(await this.afterFailedCreate(err))) return;
    } finally {
      this.creating = false;
    }

    // The customer's window counts from when the wallet took the payment: a create delayed by an outage still
    // leaves the customer the whole window (the status check and the void settle it either way).
    await new Deadline(Date.now() + window * 1000, { whenWaited: true }).until(() => this.decisive !== undefined || isFinal(record.status));
    if (isFinal(record.status)) return; // cancelled by the merchant meanwhile
    if (this.decisive) this.applyVerdict(this.decisive, 'wallet callback');
    else await this.resolveWithoutCallback();
  }

  /** The create call failed without a verdict: the wallet may or may not have it, so ask rather than guess. `false`: nothing to wait for. */
  private async afterFailedCreate(err: unknown): Promise<boolean> {
    const { record } = this;
    const found = await this.tryStatusCheck();
    if (found?.state === 'NOT_FOUND' && this.decisive) {
      // The wallet's callback overtook its own status check: it has the payment after all, and its word decides.
      record.note('callback-overtook-status-check', `the status check found nothing, but the wallet called back ${this.decisive.state}`);
      this.applyVerdict(this.decisive, 'wallet callback during the create call');
      this.outcome = { outcome: 'accepted', status: record.status };
      return false;
    }
    if (found?.state === 'NOT_FOUND') {
      record.setStatus(PaymentStatus.Unpaid, `wallet unreachable, nothing was charged: ${describeFailure(err)}`);
      this.outcome = { outcome: 'nothing-charged', status: record.status };
      this.submission = undefined;
      return false;
    }
    if (found) {
      record.providerRef = found.providerRef;
      record.setStatus(PaymentStatus.Processing, 'wallet has the payment request (found by status check)');
      this.outcome = { outcome: 'accepted', status: record.status };
    } else {
      this.outcome = { outcome: 'unknown', status: record.status };
      record.index(); // stays initiated (9) until the wallet answers: inquiry says so
    }
    return true;
  }

  /** No callback within the window: ask the wallet, and void what is still open so a late approval cannot charge. */
  private async resolveWithoutCallback(): Promise<void> {
    const { record } = this;
    const reg = record.registration;
    for (;;) {
      if (isFinal(record.status)) return;
      const found = await this.tryStatusCheck();
      if (this.decisive) return this.applyVerdict(this.decisive, 'wallet callback');
      if (!found) {
        await condition(() => this.decisive !== undefined, UNREACHABLE_RECHECK_MS);
        continue;
      }
      if (found.state === 'PAID' && found.amount !== undefined && found.amount !== reg.amt) return this.refundWrongAmount(found.amount);
      if (found.state === 'PAID' || found.state === 'FAILED' || found.state === 'VOIDED') {
        return this.applyVerdict({ state: found.state, amount: found.amount ?? reg.amt, providerRef: found.providerRef ?? record.providerRef ?? '', ...(found.reason ? { reason: found.reason } : {}) }, 'status check');
      }
      let voided;
      try {
        voided = await voidWalletPayment({ mitraCd: reg.mitraCd, tXid: record.tXid });
      } catch (err) {
        // The wallet refused the void (or never answered for a day): ask it again where the payment stands.
        record.note('void-failed', `void refused or unanswered: ${describeFailure(err)}`);
        await condition(() => this.decisive !== undefined, UNREACHABLE_RECHECK_MS);
        continue;
      }
      if (this.decisive) return this.applyVerdict(this.decisive, 'wallet callback');
      if (voided.outcome === 'ALREADY_PAID') return this.applyVerdict({ state: 'PAID', amount: reg.amt, providerRef: record.providerRef ?? '' }, 'void found it already paid');
      return record.setStatus(PaymentStatus.Expired, 'customer did not approve in time; voided at the wallet');
    }
  }

  applyVerdict(event: WalletCallbackEvent, source: string): void {
    const { record } = this;
    if (event.providerRef) record.providerRef = event.providerRef;
    const verdict = walletVerdict(record.registration.amt, event, source);
    if (verdict.kind === 'distrust') {
      record.note('amount-distrusted', verdict.note);
      this.decisive = undefined;
    } else if (verdict.kind === 'move') {
      if (verdict.failureReason !== undefined) record.failureReason = verdict.failureReason;
      record.setStatus(verdict.to, verdict.reason);
    }
  }

  /**
   * The wallet took another amount than the merchant registered: never a valid payment. The charge is refunded and
   * the transaction fails, so the merchant never ships against money that does not match its order.
   */
  private async refundWrongAmount(charged: number): Promise<void> {
    const { record } = this;
    const { tXid } = record;
    const reason = `the wallet charged ${charged} instead of ${record.registration.amt}`;
    record.note('wrong-amount', reason);
    try {
      const refund = await refundWalletPayment({ mitraCd: record.registration.mitraCd, tXid, amount: charged, idempotencyKey: `amount-${tXid}`, reason });
      record.cancelAmt = charged;
      record.failureReason = `${reason}; refunded`;
      record.note('wrong-amount-refunded', `refunded the ${charged} charged (${refund.refundRef})`);
    } catch (err) {
      record.failureReason = `${reason}; the refund failed`;
      record.note('wrong-amount-not-refunded', `the ${charged} charged could NOT be refunded: ${describeFailure(err)}`);
      log.error('wrong-amount charge not refunded', { tXid, error: describeFailure(err) });
    }
    record.setStatus(PaymentStatus.Failed, record.failureReason);
  }

  /** The wallet had the payment, and it is neither paid nor refunded: a charge may still turn up. */
  mayStillBeCharged(): boolean {
    const { record } = this;
    return record.status !== PaymentStatus.Paid && record.status !== PaymentStatus.Refund && record.providerRef !== undefined && record.cancelAmt === 0;
  }

  /**
   * The last look before the payment closes: a wallet that had the payment may have charged after the gateway's
   * final word and told nobody (ShopeePay sends one notify, never retried; the gateway may have been down for it).
   * Asked once more; a charge of the registered amount is then reconciled as a late callback would be. Nothing is
   * asked of a paid or refunded payment, of one that never reached the wallet, or of one already refunded.
   */
  async lastLook(): Promise<WalletCallbackEvent | undefined> {
    const { record } = this;
    const reg = record.registration;
    const known = record.providerRef;
    if (!this.mayStillBeCharged() || known === undefined) return undefined;
    const found = await this.tryStatusCheck();
    if (found?.state !== 'PAID' || (found.amount !== undefined && found.amount !== reg.amt)) return undefined;
    return { state: 'PAID', amount: reg.amt, providerRef: found.providerRef ?? known };
  }

  /** A merchant's cancel while the payment is open: a void before payment, a refund after (refund-desk.ts). */
  async cancel(c: CancelRecord): Promise<CancelOutcome> {
    const { record } = this;
    const why = c.reason ? `: ${c.reason}` : '';
    const plan = cancelPlan(record.book(), c);
    if (plan.kind === 'void-here') {
      record.setStatus(PaymentStatus.Void, `cancelled by the merchant before payment${why}`);
      return done(record);
    }
    if (plan.kind === 'void-at-wallet') {
      let voided;
      try {
        voided = await voidWalletPayment({ mitraCd: record.registration.mitraCd, tXid: record.tXid });
      } catch (err) {
        record.note('merchant-void-failed', `merchant's void failed: ${describeFailure(err)}`);
        return isFailureOfType(err, FailureType.WalletRejected)
          ? refused(record, `the wallet refused the void: ${describeFailure(err)}`)
          : { outcome: 'void-unanswered', status: record.status, cancelAmt: record.cancelAmt };
      }
      if (voided.outcome === 'VOIDED') {
        record.setStatus(PaymentStatus.Void, `cancelled by the merchant${why}`);
        return done(record);
      }
      // The customer paid before the void arrived: the payment stands, and the full cancel refunds it.
      this.applyVerdict({ state: 'PAID', amount: record.registration.amt, providerRef: record.providerRef ?? '' }, 'void found it already paid');
    }
    return cancelFinal(record, c);
  }

  /** undefined when the wallet cannot be reached even after the activity's retries. */
  private async tryStatusCheck(): Promise<WalletStatusResult | undefined> {
    try {
      return await checkWalletStatus({ mitraCd: this.record.registration.mitraCd, tXid: this.record.tXid });
    } catch (err) {
      log.warn('wallet status check failed', { tXid: this.record.tXid, error: describeFailure(err) });
      return undefined;
    }
  }
}
