import { SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY, SANDBOX_ASTRAPAY_PRIVATE_KEY } from './astrapay/sandbox-keys.js';
import { SANDBOX_DANA_MERCHANT_ID, SANDBOX_DANA_PARTNER_ID, SANDBOX_DANA_PARTNER_PUBLIC_KEY, SANDBOX_DANA_PRIVATE_KEY } from './dana/sandbox-keys.js';
import { SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY, SANDBOX_LINKAJA_PRIVATE_KEY } from './linkaja/sandbox-keys.js';
import { SANDBOX_OVO_PARTNER_PUBLIC_KEY, SANDBOX_OVO_PRIVATE_KEY } from './ovo/sandbox-keys.js';
import { SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY, SANDBOX_SHOPEEPAY_PRIVATE_KEY } from './shopeepay/sandbox-keys.js';
import type { WalletKeyField } from './wallet-config.js';

/**
 * The sandbox's own credentials of the wallets it ships with, by configuration prefix, so `npm run sandbox` runs with
 * no environment at all. Public and sandbox-only (the gateway's halves are domain/sandbox-secrets.ts). A wallet
 * missing here (one added by a test or a new module) runs only with its variables set.
 */
export const walletDefaults: Readonly<Record<string, Readonly<Partial<Record<WalletKeyField, string>>>>> = {
  OVO: symmetric('ovo', SANDBOX_OVO_PRIVATE_KEY, SANDBOX_OVO_PARTNER_PUBLIC_KEY),
  DANA: { partnerId: SANDBOX_DANA_PARTNER_ID, merchantId: SANDBOX_DANA_MERCHANT_ID, privateKey: SANDBOX_DANA_PRIVATE_KEY, partnerPublicKey: SANDBOX_DANA_PARTNER_PUBLIC_KEY },
  SHOPEEPAY: symmetric('shopeepay', SANDBOX_SHOPEEPAY_PRIVATE_KEY, SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY),
  LINKAJA: symmetric('linkaja', SANDBOX_LINKAJA_PRIVATE_KEY, SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY),
  ASTRAPAY: symmetric('astrapay', SANDBOX_ASTRAPAY_PRIVATE_KEY, SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY),
};

function symmetric(name: string, privateKey: string, partnerPublicKey: string): Partial<Record<WalletKeyField, string>> {
  return { clientId: `sandbox-${name}-client`, clientSecret: `sandbox-${name}-secret-change-me`, privateKey, partnerPublicKey };
}
