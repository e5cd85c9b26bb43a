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

