/**
 * The account-link workflow's messages, defined once (STYLE) for the workflow, the API and the tests.
 * Imports nothing but the workflow SDK and pure types.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LinkStatus } from '../domain/account-link.js';
import type { DeliveryState } from './messages.js';

export interface LinkTimeouts {
  /** How long a customer has to register on AstraPay's page (LINK_TIMEOUT_SECONDS). */
  readonly linkSeconds: number;
  readonly notifyRetryHours: number;
}

export interface AccountLinkInput {
  readonly iMid: string;
  /** HMAC of iMid + phone (domain/account-link.ts): the workflow ID's and every mandateID's stem. */
  readonly linkKey: string;
  readonly timeouts: LinkTimeouts;
  /** Continue as new once the history is this many events long (tests lower it). */
  readonly historyLimit?: number;
  /** What the previous run knew, when this run continues it. */
  readonly carried?: CarriedLinkState;
}

export interface CarriedLinkState {
  readonly mandates: readonly MandateRecord[];
  readonly revocations: readonly string[];
  readonly linkNotifications: readonly LinkNotificationRecord[];
}

/** What the merchant's linkEnable asked (CONTRACT §4). */
export interface LinkEnableRequest {
  readonly referenceNo: string;
  readonly billingNm: string;
  readonly billingPhone: string;
  readonly billingEmail: string;
  readonly dbProcessUrl: string;
  readonly callBackUrl?: string;
  readonly userIP?: string;
}

export interface LinkEnableReceipt {
  readonly resultCd: '0000' | '1001' | '1004';
  readonly resultMsg: string;
  readonly mandateID: string;
  readonly referenceNo: string;
  readonly linkStatus: LinkStatus;
  /** AstraPay's registration page, while the link is pending. */
  readonly redirectUrl?: string;
  /** false when an existing pending or active link was returned. */
  readonly created: boolean;
}

export interface LinkStatusChange {
  readonly status: LinkStatus;
  readonly at: string;
  readonly reason: string;
}

/** One link (one mandateID): the n-th the customer made with this merchant. */
export interface MandateRecord {
  readonly mandateID: string;
  readonly generation: number;
  readonly request: LinkEnableRequest;
  status: LinkStatus;
  readonly createdAt: string;
  changedAt: string;
  /** When the customer's time to register ends. */
  readonly expiresAt: string;
  reason?: string;
  registrationUrl?: string;
  providerRef?: string;
  /** AstraPay's account token, sealed (AES-GCM); only while ACTIVE. */
  sealedAccountToken?: string;
  payments: number;
  lastPayment?: string;
  readonly history: LinkStatusChange[];
  /** What the status alone does not say, typed and timed. */
  readonly audit: LinkAuditEntry[];
}

export interface LinkAuditEntry {
  readonly at: string;
  readonly kind: 'ignored-after-final' | 'active-after-final' | 'create-unanswered' | 'active-without-token' | 'revoked' | 'revoke-failed';
  readonly detail: string;
}

/** A mandate as the API and operators read it: without its account token. */
export type MandateView = Omit<MandateRecord, 'sealedAccountToken'> & { readonly hasAccountToken: boolean };

export interface LinkView {
  readonly iMid: string;
  readonly linkKey: string;
  readonly mandates: readonly MandateView[];
  readonly notifications: readonly LinkNotificationRecord[];
}

export interface LinkNotificationRecord extends DeliveryState {
  readonly mandateID: string;
  readonly linkStatus: LinkStatus;
}

/** A verified AstraPay link callback; the API sealed its account token before signalling. */
export interface LinkCallbackEvent {
  readonly mandateID: string;
  readonly state: 'ACTIVE' | 'FAILED' | 'EXPIRED';
  readonly providerRef: string;
  readonly sealedAccountToken?: string;
  readonly reason?: string;
}

/** A merchant's reference to one of its links: another merchant's mandateID is "not found". */
export interface MandateRef {
  readonly iMid: string;
  readonly mandateID: string;
}

export interface LinkedPaymentRequest extends MandateRef {
  readonly tXid: string;
}

export interface LinkAuthorization {
  readonly sealedAccountToken: string;
}

export const enableLinkUpdate = defineUpdate<LinkEnableReceipt, [LinkEnableRequest]>('enableLink');
export const disableLinkUpdate = defineUpdate<MandateView, [MandateRef]>('disableLink');
export const authorizeLinkedPaymentUpdate = defineUpdate<LinkAuthorization, [LinkedPaymentRequest]>('authorizeLinkedPayment');
export const linkCallbackSignal = defineSignal<[LinkCallbackEvent]>('linkCallback');
export const linkQuery = defineQuery<LinkView>('link');
