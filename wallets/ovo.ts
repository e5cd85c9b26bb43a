import { ovoPaths } from '../activities/wallets/ovo.js';
import { snapDirectDebitWallet } from './module.js';

/**
 * OVO on SNAP Direct Debit (symmetric profile) with OVO's published variations: the `/OVOSNAP` paths and `X-TIMESTAMP`
 * with milliseconds. The payment is pushed to the customer's OVO app (`additionalInfo.phoneNo`, as at ShopeePay and
 * LinkAja), so the create answers "in progress" (`202xx00`) without a redirect URL; the outcome comes in the standard
 * notify (OVO publishes none) or the status check.
 */
export const ovo = snapDirectDebitWallet(
  {
    mitraCd: 'OVOE',
    name: 'OVO',
    flow: 'push',
    accountLinks: false,
    configPrefix: 'OVO',
    callbackPath: 'ovo',
    ledgerName: 'OVO',
    simulator: { kind: 'ovo' },
  },
  { paths: ovoPaths, millisecondTimestamps: true },
);
