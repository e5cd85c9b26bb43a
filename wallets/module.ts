import type { CallbackVerifier, WalletAdapter } from '../activities/wallets/adapter.js';
import { SnapDirectDebitAdapter, type DirectDebitWallet, type SymmetricCredentials } from '../activities/wallets/snap/direct-debit-adapter.js';
import { SnapNotifyVerifier } from '../activities/wallets/snap/notify-verifier.js';
import type { WalletCredentials, WalletEndpoint } from '../domain/wallet-settings.js';
import type { WalletDescriptor } from './descriptor.js';

/**
 * One wallet: what it is (the descriptor, read everywhere) and the two things built from its settings: the worker's
 * adapter, which signs and sends its calls, and the API's verifier, which checks its callbacks with public values only.
 */
export interface WalletModule extends WalletDescriptor {
  adapter(endpoint: WalletEndpoint, credentials: WalletCredentials, fetchImpl: typeof fetch): WalletAdapter;
  verifier(endpoint: WalletEndpoint): CallbackVerifier;
}

export function defineWallet(module: WalletModule): WalletModule {
  return Object.freeze(module);
}

/** The credentials of a symmetric-profile wallet; another profile's is a registry mistake, caught at start-up. */
export function symmetricCredentials(wallet: WalletDescriptor, credentials: WalletCredentials): SymmetricCredentials {
  if (credentials.profile !== 'symmetric-b2b') throw new Error(`${wallet.name}: symmetric-b2b credentials expected, got ${credentials.profile}`);
  return credentials;
}

/** The standard's notify verifier for a wallet: its key over our notify path, our merchant id if named. */
export function snapNotifyVerifier(wallet: WalletDescriptor, endpoint: WalletEndpoint, notifyNamesMerchant = false): SnapNotifyVerifier {
  return new SnapNotifyVerifier({ mitraCd: wallet.mitraCd, name: wallet.name, publicKey: endpoint.publicKey, notifyUrl: endpoint.notifyUrl, merchantId: endpoint.merchantId, notifyNamesMerchant });
}

/**
 * A wallet on SNAP Direct Debit as the standard has it (symmetric profile), with at most the variations the adapter
 * takes (published paths, millisecond timestamps): a new SNAP wallet is this call and a registry line.
 */
export function snapDirectDebitWallet(
  wallet: Omit<WalletDescriptor, 'snapProfile'>,
  variations: Pick<DirectDebitWallet, 'paths' | 'millisecondTimestamps'> = {},
): WalletModule {
  const descriptor: WalletDescriptor = { ...wallet, snapProfile: 'symmetric-b2b' };
  return defineWallet({
    ...descriptor,
    adapter: (endpoint, credentials, fetchImpl) =>
      new SnapDirectDebitAdapter({ mitraCd: wallet.mitraCd, name: wallet.name, flow: wallet.flow, ...variations }, endpoint, symmetricCredentials(descriptor, credentials), fetchImpl),
    verifier: (endpoint) => snapNotifyVerifier(descriptor, endpoint),
  });
}
