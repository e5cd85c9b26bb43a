import type { SnapWalletConfig } from '../../domain/config.js';
import { MitraCd } from '../../domain/wallets.js';
import { SnapDirectDebitAdapter } from './snap/direct-debit-adapter.js';

/**
 * ShopeePay (Indonesia) on SNAP Direct Debit, symmetric profile (WALLET-APIS.md: client id, client secret for the
 * HMAC, ShopeePay's public key for its notifies). ShopeePay sends its notify once, without retries: the payment
 * workflow's status checks, not the notify, are what the outcome rests on.
 */
export class ShopeePayAdapter extends SnapDirectDebitAdapter {
  constructor(config: SnapWalletConfig, fetchImpl: typeof fetch = fetch) {
    super({ mitraCd: MitraCd.ShopeePay, name: 'ShopeePay' }, config, fetchImpl);
  }
}
