import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../domain/failures.js';
import { walletReturnUrl } from '../domain/page-signature.js';
import { openSecret } from '../domain/sealed-secret.js';
import type { ActivityMetrics, WalletOperation } from '../platform/metrics.js';
import {
  WalletRejectedError,
  WalletUnavailableError,
  type CreatePaymentRequest,
  type CreatePaymentResult,
  type RefundResult,
  type VoidResult,
  type WalletStatusResult,
} from './wallets/adapter.js';
import type { WalletRegistry } from './wallets/registry.js';

/** The payment to create, for the wallet of `mitraCd`; the return URL is the gateway's own, added here. */
export interface CreateWalletPaymentInput extends Omit<CreatePaymentRequest, 'returnUrl' | 'accountToken'> {
  readonly mitraCd: string;
  /** A linked account's token (AstraPay), sealed: it is opened only here, for the one call that needs it. */
  readonly sealedAccountToken?: string;
}

export interface WalletRef {
  readonly mitraCd: string;
  readonly tXid: string;
}

export interface RefundWalletPaymentInput extends WalletRef {
  readonly amount: number;
  readonly idempotencyKey: string;
  readonly reason: string;
}

/** Turns adapter errors into typed Temporal failures: unknown outcomes retry, refusals do not. */
export async function callWallet<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WalletRejectedError) {
      throw ApplicationFailure.create({ type: FailureType.WalletRejected, message: `${what}: ${err.message}`, nonRetryable: true, details: [err.reason] });
    }
    if (err instanceof WalletUnavailableError) {
      throw ApplicationFailure.create({ type: FailureType.WalletUnavailable, message: `${what}: ${err.message}`, details: [err.httpStatus ?? null] });
    }
    throw err;
  }
}

/** Times one wallet call and records its outcome, when the worker has metrics. */
async function measured<T>(metrics: ActivityMetrics | undefined, mitraCd: string, operation: WalletOperation, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await call();
    metrics?.walletCall(mitraCd, operation, 'ok', seconds());
    return result;
  } catch (err) {
    metrics?.walletCall(mitraCd, operation, err instanceof WalletRejectedError ? 'rejected' : err instanceof WalletUnavailableError ? 'unavailable' : 'error', seconds());
    throw err;
  }
}

export function createWalletActivities(wallets: WalletRegistry, publicBaseUrl: string, pageSigningSecret: string, accountTokenKey: string, metrics?: ActivityMetrics) {
  return {
    async createWalletPayment(input: CreateWalletPaymentInput): Promise<CreatePaymentResult> {
      const adapter = wallets.get(input.mitraCd);
      const { mitraCd: _wallet, sealedAccountToken, ...request } = input;
      const accountToken = sealedAccountToken === undefined ? undefined : openSecret(accountTokenKey, sealedAccountToken);
      return callWallet('create payment', () =>
        measured(metrics, input.mitraCd, 'create', () => adapter.createPayment({ ...request, returnUrl: walletReturnUrl(publicBaseUrl, pageSigningSecret, input.tXid), ...(accountToken ? { accountToken } : {}) })),
      );
    },

    async checkWalletStatus(ref: WalletRef): Promise<WalletStatusResult> {
      return callWallet('status check', () => measured(metrics, ref.mitraCd, 'status', () => wallets.get(ref.mitraCd).checkStatus(ref.tXid)));
    },

    async voidWalletPayment(ref: WalletRef): Promise<VoidResult> {
      return callWallet('void', () => measured(metrics, ref.mitraCd, 'void', () => wallets.get(ref.mitraCd).voidPayment(ref.tXid)));
    },

    async refundWalletPayment(input: RefundWalletPaymentInput): Promise<RefundResult> {
      return callWallet('refund', () =>
        measured(metrics, input.mitraCd, 'refund', () =>
          wallets.get(input.mitraCd).refund({ tXid: input.tXid, amount: input.amount, idempotencyKey: input.idempotencyKey, reason: input.reason }),
        ),
      );
    },
  };
}
