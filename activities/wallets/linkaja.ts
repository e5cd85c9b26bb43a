import type { SnapWalletConfig } from '../../domain/config.js';
import { MitraCd } from '../../domain/wallets.js';
import { SnapDirectDebitAdapter } from './snap/direct-debit-adapter.js';

/**
 * LinkAja on SNAP Direct Debit as the standard has it (symmetric profile, standard notify): LinkAja publishes no
 * merchant API of its own (WALLET-APIS.md), so nothing here follows a LinkAja source.
 */
export class LinkAjaAdapter extends SnapDirectDebitAdapter {
  constructor(config: SnapWalletConfig, fetchImpl: typeof fetch = fetch) {
    super({ mitraCd: MitraCd.LinkAja, name: 'LinkAja' }, config, fetchImpl);
  }
}
