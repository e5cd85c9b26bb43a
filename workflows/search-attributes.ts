/**
 * The payments' search attributes (operators filter on them in the Web UI). Temporal never encrypts search
 * attributes, so none of them may hold customer data: ids, the merchant, the wallet, the status and the amounts only.
 * Pure: workflows set them, the client sets the first values at start, the worker registers them.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

export const PaymentSearch = {
  tXid: defineSearchAttributeKey('tXid', 'KEYWORD'),
  referenceNo: defineSearchAttributeKey('referenceNo', 'KEYWORD'),
  iMid: defineSearchAttributeKey('iMid', 'KEYWORD'),
  mitraCd: defineSearchAttributeKey('mitraCd', 'KEYWORD'),
  paymentStatus: defineSearchAttributeKey('paymentStatus', 'INT'),
  amt: defineSearchAttributeKey('amt', 'INT'),
  /** Refunded so far: with `paymentStatus` and `amt`, what the daily reconciliation reads from visibility alone. */
  cancelAmt: defineSearchAttributeKey('cancelAmt', 'INT'),
} as const;

/** The same, as the `temporal` CLI's `--search-attribute name=Type` flags and the operator API want them. */
export const searchAttributeTypes: Readonly<Record<string, 'Keyword' | 'Int'>> = {
  tXid: 'Keyword',
  referenceNo: 'Keyword',
  iMid: 'Keyword',
  mitraCd: 'Keyword',
  paymentStatus: 'Int',
  amt: 'Int',
  cancelAmt: 'Int',
};

export function searchAttributeFlags(): string[] {
  return Object.entries(searchAttributeTypes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}
