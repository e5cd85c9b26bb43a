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
    if (record.status === next) return;
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
      if (isLiveLink(record.status)) {
        setStatus(record, LinkStatus.Disabled, 'disabled by the merchant');
        revocations.push(record.mandateID);
      }
      return viewOf(record);
    },
    {
      validator: (ref: MandateRef) => {
        const record = requireMandate(ref);
        if (record.status === LinkStatus.Failed || record.status === LinkStatus.Expired) {
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
      if (record.status !== LinkStatus.Active || token === undefined) {
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
    if (record.status === LinkStatus.Pending) {
      if (!decisive.has(record.mandateID)) decisive.set(record.mandateID, event);
      return;
    }
    if (event.state === LinkStatus.Active && record.status !== LinkStatus.Active) {
      // AstraPay activated a link we already closed (expired, failed, disabled): its token must not stay usable.
      audited(record, 'active-after-final', `AstraPay reported ACTIVE after the link was ${record.status}; revoking it`);
      revocations.push(record.mandateID);
    }
  });

  void revokeInBackground();
  void lane.run();

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
    if (found?.state === 'ACTIVE' && found.sealedAccountToken) {
      return applyVerdict(record, { mandateID: record.mandateID, state: 'ACTIVE', providerRef: found.providerRef ?? '', sealedAccountToken: found.sealedAccountToken }, 'status check');
    }
    if (found?.state === 'FAILED') {
      return applyVerdict(record, { mandateID: record.mandateID, state: 'FAILED', providerRef: found.providerRef ?? '', ...(found.reason ? { reason: found.reason } : {}) }, 'status check');
    }
    // Pending, expired, unknown or unreachable: expired for the merchant, and revoked so a late registration cannot link.
    revocations.push(record.mandateID);
    setStatus(record, LinkStatus.Expired, 'the customer did not register in time');
  }

  function applyVerdict(record: MandateRecord, event: LinkCallbackEvent, source: string): void {
    if (event.providerRef) record.providerRef = event.providerRef;
    switch (event.state) {
      case 'ACTIVE':
        if (!event.sealedAccountToken) {
          audited(record, 'active-without-token', `${source} said ACTIVE without an account token`);
          revocations.push(record.mandateID);
          return setStatus(record, LinkStatus.Failed, 'AstraPay gave no account token');
        }
        record.sealedAccountToken = event.sealedAccountToken;
        return setStatus(record, LinkStatus.Active, 'account registered', source);
      case 'FAILED':
        return setStatus(record, LinkStatus.Failed, event.reason ?? 'account validation failed', source);
      case 'EXPIRED':
        return setStatus(record, LinkStatus.Expired, event.reason ?? 'the customer did not register in time', source);
    }
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
