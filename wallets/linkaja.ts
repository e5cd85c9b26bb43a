import { snapDirectDebitWallet } from './module.js';

/**
 * LinkAja on SNAP Direct Debit as the standard has it (symmetric profile, standard notify): LinkAja publishes no
 * merchant API of its own (WALLET-APIS.md), so nothing here follows a LinkAja source.
 */
export const linkAja = snapDirectDebitWallet({
  mitraCd: 'LINK',
  name: 'LinkAja',
  flow: 'redirect',
  accountLinks: false,
  configPrefix: 'LINKAJA',
  callbackPath: 'linkaja',
  ledgerName: 'LINKAJA',
  simulator: { kind: 'snap-direct-debit', referencePrefix: 'LA', brand: { color: '#E82529', dark: '#B5161B', soft: '#FDE9EA' } },
});
