/**
 * The payments' search attributes (operators filter on them in the Web UI). Temporal never encrypts search
 * attributes, so none of them may hold customer data: ids, the merchant, the wallet, the status and the amounts only.
 * Pure: workflows set them, the client sets the first values at start, the worker registers them.
 */
import { defineSearchAttributeKey, type SearchAttributePair } from '@temporalio/common';

export const PaymentSearch = {
  tXid: defineSearchAttributeKey('tXid', 'KEYWORD'),
  referenceNo: defineSearchAttributeKey('referenceNo', 'KEYWORD'),
  iMid: defineSearchAttributeKey('iMid', 'KEYWORD'),
  mitraCd: defineSearchAttributeKey('mitraCd', 'KEYWORD'),
  paymentStatus: defineSearchAttributeKey('paymentStatus', 'INT'),
  amt: defineSearchAttributeKey('amt', 'INT'),
  /** Refunded so far: with `paymentStatus` and `amt`, what the daily reconciliation reads from visibility alone. */
  cancelAmt: defineSearchAttributeKey('cancelAmt', 'INT'),
  /** When `paymentStatus` last changed: NICEPAY's transDt/transTm, for inquiry without a worker. */
  statusAt: defineSearchAttributeKey('statusAt', 'DATETIME'),
} as const;

/** A transaction's attributes as a payment or refund workflow starts with them (the API sets them at start). */
export function paymentAttributes(t: {
  readonly tXid: string;
  readonly referenceNo: string;
  readonly iMid: string;
  readonly mitraCd: string;
  readonly amt: number;
  readonly status: number;
  readonly cancelAmt: number;
  readonly statusAt: Date;
}): SearchAttributePair[] {
  return [
    { key: PaymentSearch.tXid, value: t.tXid },
    { key: PaymentSearch.referenceNo, value: t.referenceNo },
    { key: PaymentSearch.iMid, value: t.iMid },
    { key: PaymentSearch.mitraCd, value: t.mitraCd },
    { key: PaymentSearch.amt, value: t.amt },
    { key: PaymentSearch.paymentStatus, value: t.status },
    { key: PaymentSearch.cancelAmt, value: t.cancelAmt },
    { key: PaymentSearch.statusAt, value: t.statusAt },
  ];
}

/** The same, as the `temporal` CLI's `--search-attribute name=Type` flags and the operator API want them. */
export const searchAttributeTypes: Readonly<Record<string, 'Keyword' | 'Int' | 'Datetime'>> = {
  tXid: 'Keyword',
  referenceNo: 'Keyword',
  iMid: 'Keyword',
  mitraCd: 'Keyword',
  paymentStatus: 'Int',
  amt: 'Int',
  cancelAmt: 'Int',
  statusAt: 'Datetime',
};

export function searchAttributeFlags(): string[] {
  return Object.entries(searchAttributeTypes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}
