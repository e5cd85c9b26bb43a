import { ApplicationFailure, Context } from '@temporalio/activity';
import type { GatewayMode } from '../domain/config.js';
import { FailureType } from '../domain/failures.js';
import type { MerchantDirectory } from '../domain/merchants.js';
import { tokens } from '../domain/merchant-token.js';
import type { ActivityMetrics } from '../platform/metrics.js';
import { DeliveredAttempts } from './delivered-attempts.js';
import { createFormPoster, type HostResolver } from './notify-destination.js';

/** A notification's fields (CONTRACT §5), minus the token, which only the activity can compute (it holds the key). */
export type MerchantNotification = PaymentNotification | LinkNotification;

export interface PaymentNotification {
  /** Absent in histories recorded before account links existed. */
  readonly kind?: 'payment';
  readonly dbProcessUrl: string;
  readonly iMid: string;
  readonly tXid: string;
  readonly referenceNo: string;
  readonly payMethod: string;
  readonly mitraCd: string;
  readonly amt: number;
  readonly currency: string;
  readonly goodsNm: string;
  readonly billingNm: string;
  readonly status: number;
  readonly transDt: string;
  readonly transTm: string;
  readonly cancelAmt: number;
}

/** An account link's change (CONTRACT §5: iMid, referenceNo, mandateID, mitraCd, linkStatus). */
export interface LinkNotification {
  readonly kind: 'link';
  readonly dbProcessUrl: string;
  readonly iMid: string;
  readonly referenceNo: string;
  readonly mandateID: string;
  readonly mitraCd: string;
  readonly linkStatus: string;
}

export interface DeliveryReport {
  readonly httpStatus?: number;
  readonly error?: string;
  readonly durationMs: number;
}

const MERCHANT_ANSWER_TIMEOUT_MS = 15_000;

/** Where notifications may go: `mode` decides (domain/public-address.ts); tests pass a fake resolver. */
export interface NotifyTransportOptions {
  readonly mode: GatewayMode;
  readonly resolve?: HostResolver;
}

export function createNotifyActivities(merchants: MerchantDirectory, transport: NotifyTransportOptions, metrics?: ActivityMetrics) {
  const poster = createFormPoster({ mode: transport.mode, timeoutMs: MERCHANT_ANSWER_TIMEOUT_MS, ...(transport.resolve ? { resolve: transport.resolve } : {}) });
  const delivered = new DeliveredAttempts();
  return {
    /** One delivery attempt: any 2xx within 15 s acknowledges. A failure carries its report so the workflow can record it. */
    async notifyMerchant(n: MerchantNotification): Promise<DeliveryReport> {
      const attempt = attemptIdentity();
      const already = attempt === undefined ? undefined : delivered.get(attempt);
      if (already) return already;
      const merchant = merchants.find(n.iMid);
      if (!merchant) throw ApplicationFailure.nonRetryable(`unknown iMid ${n.iMid}`, FailureType.NotificationFailed);
      const { dbProcessUrl, kind: _kind, ...fields } = n;
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) form.set(k, String(v));
      const { merchantKey } = merchant;
      form.set(
        'merchantToken',
        n.kind === 'link'
          ? tokens.linkNotification({ iMid: n.iMid, mandateID: n.mandateID, linkStatus: n.linkStatus, merchantKey })
          : tokens.notification({ iMid: n.iMid, tXid: n.tXid, amt: n.amt, merchantKey }),
      );

      const started = Date.now();
      let report: DeliveryReport;
      try {
        // A refused destination fails like any other attempt: recorded, retried, visible to operators (an allow-list
        // or DNS fixed by the merchant lets a later attempt through).
        const status = await poster.post(dbProcessUrl, form.toString(), { mode: transport.mode, notifyHosts: merchant.notifyHosts });
        report = { httpStatus: status, durationMs: Date.now() - started };
        metrics?.notificationAttempt(n.kind ?? 'payment', status >= 200 && status < 300 ? 'delivered' : 'failed');
        if (status >= 200 && status < 300) {
          if (attempt !== undefined) delivered.set(attempt, report);
          return report;
        }
        // A redirect is an answer, never followed: it could point anywhere, our own network included.
        report = { ...report, error: `merchant answered HTTP ${status}` };
      } catch (err) {
        report = { error: describeSendError(err), durationMs: Date.now() - started };
        metrics?.notificationAttempt(n.kind ?? 'payment', 'failed');
      }
      throw ApplicationFailure.create({ type: FailureType.NotificationFailed, message: report.error ?? 'delivery failed', nonRetryable: true, details: [report] });
    },
  };
}

/** The attempt's identity: the same when its workflow task runs again; none outside a worker (a direct call in a test). */
function attemptIdentity(): string | undefined {
  let info;
  try {
    ({ info } = Context.current());
  } catch {
    return undefined;
  }
  const run = info.workflowExecution;
  return run ? `${run.workflowId}/${run.runId}/${info.activityId}` : undefined;
}

function describeSendError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
