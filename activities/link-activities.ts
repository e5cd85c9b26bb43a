import { linkReturnUrl } from '../domain/page-signature.js';
import { sealSecret } from '../domain/sealed-secret.js';
import { LINK_MITRA_CD } from '../domain/wallets.js';
import { isAccountLinkProvider, type AccountLinkProvider, type CreateLinkRequest, type CreateLinkResult, type LinkState } from './wallets/adapter.js';
import type { WalletRegistry } from './wallets/registry.js';
import { callWallet } from './wallet-activities.js';

export interface CreateAccountLinkInput extends Omit<CreateLinkRequest, 'returnUrl'> {
  readonly iMid: string;
}

export interface AccountLinkStatus {
  readonly state: LinkState;
  readonly providerRef?: string;
  /** The account token, sealed with the configured key before it leaves the activity. */
  readonly sealedAccountToken?: string;
  readonly reason?: string;
}

/** The wallet that links accounts: AstraPay (CONTRACT §4). */
function linkProvider(wallets: WalletRegistry): AccountLinkProvider {
  const adapter = wallets.get(LINK_MITRA_CD);
  if (!isAccountLinkProvider(adapter)) throw new Error('the AstraPay adapter does not support account links');
  return adapter;
}

export function createLinkActivities(wallets: WalletRegistry, publicBaseUrl: string, pageSigningSecret: string, accountTokenKey: string) {
  return {
    async createAccountLink(input: CreateAccountLinkInput): Promise<CreateLinkResult> {
      const { iMid, ...request } = input;
      return callWallet('create account link', () =>
        linkProvider(wallets).createLink({ ...request, returnUrl: linkReturnUrl(publicBaseUrl, pageSigningSecret, iMid, input.mandateID) }),
      );
    },

    async checkAccountLink(mandateID: string): Promise<AccountLinkStatus> {
      const found = await callWallet('link status check', () => linkProvider(wallets).checkLink(mandateID));
      const { accountToken, ...rest } = found;
      return { ...rest, ...(accountToken ? { sealedAccountToken: sealSecret(accountTokenKey, accountToken) } : {}) };
    },

    async revokeAccountLink(mandateID: string): Promise<void> {
      await callWallet('revoke account link', () => linkProvider(wallets).revokeLink(mandateID));
    },
  };
}
