/** NICEPAY `mitraCd` values for e-wallets (CONTRACT §3). */
export const MitraCd = {
  Ovo: 'OVOE',
  Dana: 'DANA',
  ShopeePay: 'ESHP',
  LinkAja: 'LINK',
  AstraPay: 'ASTR',
} as const;

export type MitraCd = (typeof MitraCd)[keyof typeof MitraCd];

export const allMitraCds: readonly MitraCd[] = Object.values(MitraCd);

export function isMitraCd(value: string): value is MitraCd {
  return (allMitraCds as readonly string[]).includes(value);
}

/** The wallets' names as customers know them. */
export const walletName: Record<MitraCd, string> = {
  OVOE: 'OVO',
  DANA: 'DANA',
  ESHP: 'ShopeePay',
  LINK: 'LinkAja',
  ASTR: 'AstraPay',
};

/** How the customer approves: a push to their phone app, or a redirect to the wallet's checkout page. */
export type ApprovalFlow = 'push' | 'redirect';

export const EWALLET_PAY_METHOD = '05';
