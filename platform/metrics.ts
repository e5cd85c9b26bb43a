import type { InjectedSinks } from '@temporalio/worker';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { PaymentStatus, statusName } from '../domain/payment-status.js';

/**
 * The gateway's own metrics (Prometheus, prom-client): one registry per process, each metric named by purpose.
 * Labels are bounded sets only (routes as patterns, wallets, result codes, statuses, outcomes): never a tXid,
 * a referenceNo, a phone or anything else a request chooses, so cardinality stays small and no customer data
 * reaches a scrape. Temporal's own SDK metrics are buffered by the worker's Runtime and served with these (workers/sdk-metrics.ts).
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  /** Every API request, by route pattern and the NICEPAY resultCd it answered (`none` for pages and redirects). */
  readonly apiRequests = new Counter({
    name: 'ewallet_api_requests_total',
    help: 'API requests by route pattern, method, NICEPAY resultCd (none when the reply has none) and HTTP status',
    labelNames: ['route', 'method', 'result_cd', 'http_status'] as const,
    registers: [this.registry],
  });

  readonly apiRequestDuration = new Histogram({
    name: 'ewallet_api_request_duration_seconds',
    help: 'API request duration by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** Payments reaching a final status (a refund after paid counts once more, as REFUND). */
  readonly paymentsFinal = new Counter({
    name: 'ewallet_payments_final_total',
    help: 'Payments reaching a final status, by wallet (mitraCd) and status (PAID, FAILED, EXPIRED, VOID, REFUND)',
    labelNames: ['mitra_cd', 'status'] as const,
    registers: [this.registry],
  });

  readonly timeToFinal = new Histogram({
    name: 'ewallet_payment_time_to_final_seconds',
    help: 'Time from registration to the first final status, by wallet and status',
    labelNames: ['mitra_cd', 'status'] as const,
    buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
    registers: [this.registry],
  });

  readonly callbacks = new Counter({
    name: 'ewallet_callbacks_total',
    help: 'Wallet callbacks by provider and outcome (accepted, refused, unknown-transaction, amount-mismatch, closed, link-accepted, link-unknown)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly callbackLateness = new Histogram({
    name: 'ewallet_callback_lateness_seconds',
    help: "Delay between the wallet's event time (when its callback states one) and the gateway receiving the callback",
    labelNames: ['provider'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly notificationAttempts = new Counter({
    name: 'ewallet_notification_attempts_total',
    help: 'Merchant notification delivery attempts by kind (payment, link) and outcome (delivered, failed)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly walletCalls = new Counter({
    name: 'ewallet_wallet_calls_total',
    help: 'Calls to wallet APIs by wallet, operation (create, status, void, refund) and outcome (ok, rejected, unavailable, error)',
    labelNames: ['mitra_cd', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly walletCallDuration = new Histogram({
    name: 'ewallet_wallet_call_duration_seconds',
    help: 'Wallet API call duration by wallet and operation',
    labelNames: ['mitra_cd', 'operation'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });

  /** @param service `api` or `worker`: a default label on every metric, and the Node process metrics' too. */
  constructor(service: string, { processMetrics = true }: { readonly processMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service });
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** A payment's final status (from the workflow's metrics sink); time to final only for the first one. */
  paymentFinal(mitraCd: string, status: number, secondsSinceRegistration?: number): void {
    const labels = { mitra_cd: walletLabel(mitraCd), status: statusLabel(status) };
    this.paymentsFinal.inc(labels);
    if (secondsSinceRegistration !== undefined && status !== PaymentStatus.Refund) this.timeToFinal.observe(labels, Math.max(0, secondsSinceRegistration));
  }

  /** `occurredAt`: the wallet's event time (ISO 8601) when its callback states one. */
  callback(provider: string, outcome: CallbackOutcome, occurredAt?: string, now = Date.now()): void {
    this.callbacks.inc({ provider, outcome });
    const at = occurredAt === undefined ? NaN : Date.parse(occurredAt);
    if (Number.isFinite(at)) this.callbackLateness.observe({ provider }, Math.max(0, (now - at) / 1000));
  }

  notificationAttempt(kind: string, outcome: 'delivered' | 'failed'): void {
    this.notificationAttempts.inc({ kind, outcome });
  }

  walletCall(mitraCd: string, operation: WalletOperation, outcome: WalletCallOutcome, seconds: number): void {
    this.walletCalls.inc({ mitra_cd: walletLabel(mitraCd), operation, outcome });
    this.walletCallDuration.observe({ mitra_cd: walletLabel(mitraCd), operation }, seconds);
  }

  /** The Prometheus text exposition of this registry. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

export type CallbackOutcome = 'accepted' | 'refused' | 'unknown-transaction' | 'amount-mismatch' | 'closed' | 'link-accepted' | 'link-unknown';
export type WalletOperation = 'create' | 'status' | 'void' | 'refund';
export type WalletCallOutcome = 'ok' | 'rejected' | 'unavailable' | 'error';

/** What activities record (activities/index.ts `ActivityDeps.metrics`); absent, nothing is recorded. */
export type ActivityMetrics = Pick<GatewayMetrics, 'notificationAttempt' | 'walletCall' | 'paymentFinal'>;

/** What the API records (api/deps.ts `ApiDeps.metrics`). */
export type ApiMetrics = Pick<GatewayMetrics, 'apiRequests' | 'apiRequestDuration' | 'callback' | 'metrics'>;

/**
 * The workflow-side sink of payment metrics (workflows/payment.ts: `proxySinks<PaymentMetricsSinks>()`). A sink
 * runs in the worker after the workflow task, never during replay, and adds no command to the history.
 */
export type PaymentMetricsSinks = {
  paymentMetrics: {
    /** A payment reached a final status. */
    finalStatus(mitraCd: string, status: number): void;
  };
};

/** Defensive: a label value has a mitraCd's shape (4 characters), whatever a caller passes, so labels stay few. */
function walletLabel(mitraCd: string): string {
  return /^[A-Z0-9]{4}$/.test(mitraCd) ? mitraCd : 'other';
}

function statusLabel(status: number): string {
  return statusName[status as PaymentStatus] ?? 'OTHER';
}

/** The worker side of {@link PaymentMetricsSinks}: always registered (a no-op without metrics), so no workflow calls a missing sink. */
export function paymentMetricsSinks(metrics?: Pick<GatewayMetrics, 'paymentFinal'>): InjectedSinks<PaymentMetricsSinks> {
  return {
    paymentMetrics: {
      finalStatus: {
        fn: (info, mitraCd, status) => metrics?.paymentFinal(mitraCd, status, (Date.now() - info.startTime.getTime()) / 1000),
        callDuringReplay: false,
      },
    },
  };
}
