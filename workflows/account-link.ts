import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { AccountLinkStatus } from '../activities/link-activities.js';
import { LinkStatus, isLiveLink, mandateId } from '../domain/account-link.js';
import { disablePlan, linkPaymentAllowed, linkStatusMove, linkVerdict, routeLinkCallback, settleLink, type LinkVerdict } from '../domain/link-rules.js';
import { FailureType } from '../domain/failures.js';
import { LINK_MITRA_CD } from '../domain/wallets.js';
import { describeFailure, isFailureOfType } from './failures.js';
import {
  authorizeLinkedPaymentUpdate,
  disableLinkUpdate,
  enableLinkUpdate,
  linkCallbackSignal,
  linkQuery,
  type AccountLinkInput,
  type LinkCallbackEvent,
  type LinkAuditEntry,
  type LinkEnableReceipt,
  type LinkNotificationRecord,
  type LinkView,
  type LinkedPaymentRequest,
  type MandateRecord,
  type MandateRef,
  type MandateView,
} from './link-messages.js';
import { NotificationLane } from './notification-lane.js';
import { walletCreateOptions, walletMoneyBackOptions, walletStatusOptions } from './options.js';

const { createAccountLink } = proxyActivities<Activities>(walletCreateOptions);
const { checkAccountLink } = proxyActivities<Activities>(walletStatusOptions);
const { revokeAccountLink } = proxyActivities<Activities>(walletMoneyBackOptions);

/** History length at which a run hands over to a fresh one (Temporal warns at 10 240 events). */
const DEFAULT_HISTORY_LIMIT = 2_000;
/** Past links kept across continue-as-new: older mandateIDs answer "not found". */
const KEPT_MANDATES = 50;
const KEPT_NOTIFICATIONS = 20;

/**
 * Every AstraPay account link of one customer (iMid + phone) with one merchant, for as long as the merchant uses
 * the gateway (CONTRACT §4). The n-th link is mandate n: PENDING → ACTIVE | FAILED | EXPIRED, then DISABLED on
 * unlink. `linkEnable` is an update, so two at once are serialised here and get the same pending or active link.
 * Payments ask it for the account token (an update, so none is handed out after an unlink). The history stays
 * small: a long run continues as new, carrying the links.
 */
export async function accountLinkWorkflow(input: AccountLinkInput): Promise<void> {
  const { iMid, linkKey, timeouts } = input;
  const mandates: MandateRecord[] = [...(input.carried?.mandates ?? [])];
  const revocations: string[] = [...(input.carried?.revocations ?? [])];
  /** Answers to linkEnable by mandateID, and the first decisive callback of each pending link. */
  const receipts = new Map<string, LinkEnableReceipt>();
  const decisive = new Map<string, LinkCallbackEvent>();
  let supervising = 0;

  const lane = new NotificationLane<LinkNotificationRecord>(
    ({ mandateID, linkStatus }) => {
      const record = find(mandateID);
      return {
        kind: 'link',
        dbProcessUrl: record?.request.dbProcessUrl ?? '',
        iMid,
        referenceNo: record?.request.referenceNo ?? '',
        mandateID,
        mitraCd: LINK_MITRA_CD,
        linkStatus,
      };
    },
    timeouts.notifyRetryHours,
    { supersedes: (newer, older) => newer.mandateID === older.mandateID, carried: input.carried?.linkNotifications },
  );

  function find(mandateID: string): MandateRecord | undefined {
    return mandates.find((m) => m.mandateID === mandateID);
  }

  function current(): MandateRecord | undefined {
    return mandates.at(-1);
  }

  /** `reason` is what the merchant and customer read; `source` (callback, status check) only goes in the history. */
  function setStatus(record: MandateRecord, next: LinkStatus, reason: string, source?: string): void {
    const move = linkStatusMove(record.status, next);
    if (move === 'same') return;
    if (move === 'final') {
      audited(record, 'ignored-after-final', `ignored ${next} after ${record.status}: ${reason}`);
      return;
    }
    record.status = next;
    record.changedAt = new Date().toISOString();
    record.history.push({ status: next, at: record.changedAt, reason: source ? `${reason} (${source})` : reason });
    if (next !== LinkStatus.Active) delete record.sealedAccountToken;
    if (next !== LinkStatus.Pending) record.reason = reason;
    log.info('account link status changed', { iMid, mandateID: record.mandateID, linkStatus: next, reason });
    lane.enqueue({ mandateID: record.mandateID, linkStatus: next });
  }

  function viewOf(record: MandateRecord): MandateView {
    const { sealedAccountToken, ...rest } = record;
    return { ...rest, hasAccountToken: sealedAccountToken !== undefined };
  }

  function receiptOf(record: MandateRecord, created: boolean): LinkEnableReceipt {
    const answered = receipts.get(record.mandateID);
    return {
      resultCd: answered?.resultCd ?? '0000',
      resultMsg: answered?.resultMsg ?? 'SUCCESS',
      mandateID: record.mandateID,
      referenceNo: record.request.referenceNo,
      linkStatus: record.status,
      ...(record.status === LinkStatus.Pending && record.registrationUrl ? { redirectUrl: record.registrationUrl } : {}),
      created,
    };
  }

  /** The mandate a merchant names, or 8004; a mandate of this customer that no longer exists is not found either. */
  function requireMandate(ref: MandateRef): MandateRecord {
    const record = ref.iMid === iMid ? find(ref.mandateID) : undefined;
    if (!record) throw ApplicationFailure.nonRetryable('mandateID not found', FailureType.NotFound);
    return record;
  }

  setHandler(linkQuery, (): LinkView => ({ iMid, linkKey, mandates: mandates.map(viewOf), notifications: lane.records }));

  setHandler(enableLinkUpdate, async (request) => {
    const live = current();
    if (live && isLiveLink(live.status)) {
      // Two linkEnable calls at once: the second waits for the first's answer and gets the same link.
      await condition(() => receipts.has(live.mandateID) || live.status !== LinkStatus.Pending);
      return receiptOf(live, false);
    }
    const generation = (live?.generation ?? 0) + 1;
    const now = new Date();
    const record: MandateRecord = {
      mandateID: mandateId(linkKey, generation),
      generation,
      request,
      status: LinkStatus.Pending,
      createdAt: now.toISOString(),
      changedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + timeouts.linkSeconds * 1000).toISOString(),
      payments: 0,
      history: [{ status: LinkStatus.Pending, at: now.toISOString(), reason: 'link requested' }],
      audit: [],
    };
    mandates.push(record);
    void supervise(record);
    await condition(() => receipts.has(record.mandateID));
    const receipt = receiptOf(record, true);
    return receipt;
  });

  setHandler(
    disableLinkUpdate,
    (ref) => {
      const record = requireMandate(ref);
      if (disablePlan(record.status) === 'disable') {
        setStatus(record, LinkStatus.Disabled, 'disabled by the merchant');
        revocations.push(record.mandateID);
      }
      return viewOf(record);
    },
    {
      validator: (ref: MandateRef) => {
        const record = requireMandate(ref);
        if (disablePlan(record.status) === 'refuse') {
          throw ApplicationFailure.nonRetryable(`account link is ${record.status.toLowerCase()}`, FailureType.InvalidState);
        }
      },
    },
  );

  setHandler(
    authorizeLinkedPaymentUpdate,
    (request) => {
      const record = requireMandate(request);
      const token = record.sealedAccountToken;
      if (!linkPaymentAllowed(record.status, token !== undefined) || token === undefined) {
        throw ApplicationFailure.nonRetryable(`account link is ${record.status.toLowerCase()}`, FailureType.InvalidState);
      }
      record.payments++;
      record.lastPayment = request.tXid;
      return { sealedAccountToken: token };
    },
    {
      validator: (request: LinkedPaymentRequest) => {
        const record = requireMandate(request);
        if (record.status !== LinkStatus.Active) {
          throw ApplicationFailure.nonRetryable(`account link is ${record.status.toLowerCase()}`, FailureType.InvalidState);
        }
      },
    },
  );

  setHandler(linkCallbackSignal, (event) => {
    const record = find(event.mandateID);
    if (!record) {
      log.warn('callback for an unknown mandate ignored', { mandateID: event.mandateID });
      return;
    }
    const route = routeLinkCallback(record.status, event);
    if (route === 'decisive') {
      if (!decisive.has(record.mandateID)) decisive.set(record.mandateID, event);
    } else if (route === 'revoke') {
      audited(record, 'active-after-final', `AstraPay reported ACTIVE after the link was ${record.status}; revoking it`);
      revocations.push(record.mandateID);
    }
  });

  void revokeInBackground();
  lane.start();

  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit);
  await condition(() => supervising === 0 && revocations.length === 0 && lane.idle() && allHandlersFinished());
  await continueAsNew<typeof accountLinkWorkflow>({
    ...input,
    carried: {
      mandates: mandates.slice(-KEPT_MANDATES).map((m) => ({ ...m, history: m.history.slice(-10), audit: m.audit.slice(-10) })),
      revocations,
      linkNotifications: lane.records.slice(-KEPT_NOTIFICATIONS),
    },
  });

  /** One pending link: ask AstraPay for it, then wait for its callback or its deadline, then settle it. */
  async function supervise(record: MandateRecord): Promise<void> {
    supervising++;
    try {
      if (!(await requestAtWallet(record))) return;
      const deadline = Date.parse(record.expiresAt);
      await condition(() => decisive.has(record.mandateID) || record.status !== LinkStatus.Pending, Math.max(deadline - Date.now(), 0));
      if (record.status !== LinkStatus.Pending) return; // disabled meanwhile
      const event = decisive.get(record.mandateID);
      if (event) return applyVerdict(record, event, 'AstraPay callback');
      await settleWithoutCallback(record);
    } finally {
      decisive.delete(record.mandateID);
      supervising--;
    }
  }

  /** false when AstraPay certainly has no such link (it was dropped: nothing to wait for). */
  async function requestAtWallet(record: MandateRecord): Promise<boolean> {
    try {
      const created = await createAccountLink({
        iMid,
        mandateID: record.mandateID,
        phone: record.request.billingPhone,
        name: record.request.billingNm,
        email: record.request.billingEmail,
        expiresAt: record.expiresAt,
      });
      record.registrationUrl = created.registrationUrl;
      record.providerRef = created.providerRef;
      receipts.set(record.mandateID, { ...receiptOf(record, true), resultCd: '0000', resultMsg: 'SUCCESS' });
      return true;
    } catch (err) {
      if (isFailureOfType(err, FailureType.WalletRejected)) {
        setStatus(record, LinkStatus.Failed, `AstraPay refused the link: ${describeFailure(err)}`);
        receipts.set(record.mandateID, { ...receiptOf(record, true), resultMsg: `Account link failed: ${describeFailure(err)}` });
        return false;
      }
      const found = await tryCheck(record.mandateID);
      if (found?.state === 'NOT_FOUND') {
        // Nothing exists at AstraPay: forget the attempt, so the next linkEnable starts afresh under the same number.
        mandates.splice(mandates.indexOf(record), 1);
        receipts.set(record.mandateID, {
          ...receiptOf(record, true),
          resultCd: '1001',
          resultMsg: 'Wallet provider unreachable, nothing was linked, safe to retry',
        });
        return false;
      }
      audited(record, 'create-unanswered', `create link did not answer: ${describeFailure(err)}`);
      receipts.set(record.mandateID, { ...receiptOf(record, true), resultCd: '1004', resultMsg: 'Wallet provider timed out, outcome not known yet, inquire later' });
      return true;
    }
  }

  /** The deadline passed without a callback: AstraPay's word decides; anything still open is closed there. */
  async function settleWithoutCallback(record: MandateRecord): Promise<void> {
    const found = await tryCheck(record.mandateID);
    if (decisive.has(record.mandateID)) {
      const event = decisive.get(record.mandateID);
      if (event) return applyVerdict(record, event, 'AstraPay callback');
    }
    const word = found === undefined ? 'unreachable' : found.state === 'ACTIVE' || found.state === 'FAILED' || found.state === 'EXPIRED' ? { state: found.state, hasAccountToken: found.sealedAccountToken !== undefined, ...(found.reason ? { reason: found.reason } : {}) } : 'pending';
    applyLinkVerdict(record, settleLink(word, 'status check'), 'status check', found?.sealedAccountToken, found?.providerRef);
  }

  function applyVerdict(record: MandateRecord, event: LinkCallbackEvent, source: string): void {
    const word = { state: event.state, hasAccountToken: event.sealedAccountToken !== undefined, ...(event.reason ? { reason: event.reason } : {}) };
    applyLinkVerdict(record, linkVerdict(word, source), source, event.sealedAccountToken, event.providerRef);
  }

  /** A verdict revoking the link (a wrong ACTIVE, a registration too late) is not AstraPay's doing: no source in the history. */
  function applyLinkVerdict(record: MandateRecord, verdict: LinkVerdict, source: string, sealedAccountToken: string | undefined, providerRef: string | undefined): void {
    if (providerRef) record.providerRef = providerRef;
    if (verdict.problem !== undefined) audited(record, 'active-without-token', verdict.problem);
    if (verdict.revoke) revocations.push(record.mandateID);
    if (verdict.to === LinkStatus.Active && sealedAccountToken !== undefined) record.sealedAccountToken = sealedAccountToken;
    setStatus(record, verdict.to, verdict.reason, verdict.revoke ? undefined : source);
  }

  async function tryCheck(mandateID: string): Promise<AccountLinkStatus | undefined> {
    try {
      return await checkAccountLink(mandateID);
    } catch (err) {
      log.warn('account link status check failed', { mandateID, error: describeFailure(err) });
      return undefined;
    }
  }

  /** Revocations are retried for a day (walletMoneyBackOptions); a refusal is recorded for operators. */
  async function revokeInBackground(): Promise<never> {
    for (;;) {
      await condition(() => revocations.length > 0);
      const mandateID = revocations[0];
      if (mandateID !== undefined) {
        try {
          await revokeAccountLink(mandateID);
          audited(find(mandateID), 'revoked', 'revoked at AstraPay');
        } catch (err) {
          audited(find(mandateID), 'revoke-failed', `revoke at AstraPay failed: ${describeFailure(err)}`);
          log.error('account link not revoked', { mandateID, error: describeFailure(err) });
        }
      }
      revocations.shift();
    }
  }
}

/** Records what a link's status alone does not say (a mandate gone from the list records nothing). */
function audited(record: MandateRecord | undefined, kind: LinkAuditEntry['kind'], detail: string): void {
  record?.audit.push({ at: new Date().toISOString(), kind, detail });
}
