/** How the customer approves: a push to their phone app, or a redirect to the wallet's checkout page. */
export type ApprovalFlow = 'push' | 'redirect';

export const EWALLET_PAY_METHOD = '05';

/**
 * The one wallet that links accounts in NICEPAY's API (`linkEnable.do` … `linkInitiate.do` are for `ASTR` only,
 * CONTRACT §4): the account-link workflow registers its payments for it.
 */
export const LINK_MITRA_CD = 'ASTR';
