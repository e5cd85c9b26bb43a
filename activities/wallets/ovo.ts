import type { SnapWalletConfig } from '../../domain/config.js';
import { MitraCd } from '../../domain/wallets.js';
import { SnapDirectDebitAdapter } from './snap/direct-debit-adapter.js';

/**
 * OVO's published SNAP paths (WALLET-APIS.md: ovo.id partner-integration tech doc, "SNAP Open API v1.0.7"): the B2B
 * token under `/OVOSNAP/v1.0`, Direct Debit under `/OVOSNAP/v2.0`. OVO lists no cancel: `cancel` is the standard's
 * path under the same prefix, not published by OVO.
 */
export const ovoPaths = {
  token: '/OVOSNAP/v1.0/access-token/b2b',
  create: '/OVOSNAP/v2.0/debit/payment-host-to-host',
  status: '/OVOSNAP/v2.0/debit/status',
  cancel: '/OVOSNAP/v2.0/debit/cancel',
  refund: '/OVOSNAP/v2.0/debit/refund',
} as const;

/**
 * OVO on SNAP Direct Debit (symmetric profile) with OVO's published variations: the `/OVOSNAP` paths and
 * `X-TIMESTAMP` with milliseconds. The payment is pushed to the customer's OVO app (`additionalInfo.phoneNo`, as at
 * ShopeePay and LinkAja), so the create answers "in progress" (`202xx00`) without a redirect URL; the outcome comes
 * in the standard notify (OVO publishes none) or the status check.
 */
export class OvoAdapter extends SnapDirectDebitAdapter {
  constructor(config: SnapWalletConfig, fetchImpl: typeof fetch = fetch) {
    super({ mitraCd: MitraCd.Ovo, name: 'OVO', flow: 'push', paths: ovoPaths, millisecondTimestamps: true }, config, fetchImpl);
  }
}
