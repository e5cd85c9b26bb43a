/** NICEPAY's published result codes (CONTRACT §2). Clients check `resultCd`; HTTP is 200 for every answered request. */
export const ResultCode = {
  Success: '0000',
  Malformed: '9001',
  BusyRetry: '9002',
  AmountMissing: '9007',
  AmountInvalid: '9008',
  DuplicateReference: '9009',
  InvalidToken: '9010',
  UnknownMerchant: '9011',
  MethodNotActive: '9012',
  CurrencyMissing: '9013',
  ReferenceMissing: '9014',
  GoodsNameMissing: '9015',
  BillingNameMissing: '9016',
  BillingPhoneMissing: '9017',
  BillingEmailMissing: '9018',
  NotFound: '8004',
  InvalidStatus: '9502',
  WalletUnreachable: '1001',
  WalletTimeout: '1004',
  InternalError: '1003',
} as const;

export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

export const defaultResultMessage: Record<ResultCode, string> = {
  '0000': 'SUCCESS',
  '9001': 'Malformed request',
  '9002': 'Gateway busy, nothing was done, retry later',
  '9007': 'amt is required',
  '9008': 'Invalid amt: must be a positive whole number of rupiah',
  '9009': 'referenceNo already registered with different content',
  '9010': 'Invalid merchantToken',
  '9011': 'Unknown iMid',
  '9012': 'payMethod or mitraCd not active for this merchant',
  '9013': 'currency is required',
  '9014': 'referenceNo is required',
  '9015': 'goodsNm is required',
  '9016': 'billingNm is required',
  '9017': 'billingPhone is required',
  '9018': 'billingEmail is required',
  '8004': 'Transaction not found',
  '9502': 'Not allowed in the current transaction status',
  '1001': 'Wallet provider unreachable, nothing was charged, safe to retry',
  '1004': 'Wallet provider timed out, outcome not known yet, inquire later',
  '1003': 'Internal error',
};

/** The field whose absence each "missing" code reports, in the contract's order of checks. */
export const missingFieldCode: Readonly<Record<string, ResultCode>> = {
  amt: ResultCode.AmountMissing,
  currency: ResultCode.CurrencyMissing,
  referenceNo: ResultCode.ReferenceMissing,
  goodsNm: ResultCode.GoodsNameMissing,
  billingNm: ResultCode.BillingNameMissing,
  billingPhone: ResultCode.BillingPhoneMissing,
  billingEmail: ResultCode.BillingEmailMissing,
};
