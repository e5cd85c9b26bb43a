/**
 * An account link's rules as pure decisions (CONTRACT §4), as domain/payment-rules.ts is for payments: which status a
 * link may move to, what AstraPay's word does to it, what a merchant's disable does, and whether a payment may run on
 * it. The account-link workflow asks these; test/unit/link-rules.test.ts checks them.
 */
import { LinkStatus } from './account-link.js';

/** PENDING → ACTIVE | FAILED | EXPIRED | DISABLED; ACTIVE → DISABLED; FAILED, EXPIRED and DISABLED are final. */
export function linkStatusMove(from: LinkStatus, to: LinkStatus): 'move' | 'same' | 'final' {
  if (from === to) return 'same';
  if (from === LinkStatus.Pending) return 'move';
  if (from === LinkStatus.Active && to === LinkStatus.Disabled) return 'move';
  return 'final';
}

/** AstraPay's word on a link: its callback, or its status check after the deadline. */
export interface LinkWord {
  readonly state: 'ACTIVE' | 'FAILED' | 'EXPIRED';
  readonly hasAccountToken: boolean;
  readonly reason?: string;
}

/** Where AstraPay's callback goes, by the link's status. */
export function routeLinkCallback(status: LinkStatus, word: Pick<LinkWord, 'state'>): 'decisive' | 'revoke' | 'ignore' {
  if (status === LinkStatus.Pending) return 'decisive';
  // AstraPay activated a link the gateway already closed (expired, failed, disabled): its token must not stay usable.
  if (word.state === 'ACTIVE' && status !== LinkStatus.Active) return 'revoke';
  return 'ignore';
}

export interface LinkVerdict {
  readonly to: LinkStatus;
  /** What the merchant and the customer read. */
  readonly reason: string;
  /** Revoke the link at AstraPay (an ACTIVE without a token is unusable, and must not become usable later). */
  readonly revoke: boolean;
  /** For the audit trail, when the word itself was wrong. */
  readonly problem?: string;
}

export function linkVerdict(word: LinkWord, source: string): LinkVerdict {
  switch (word.state) {
    case 'ACTIVE':
      return word.hasAccountToken
        ? { to: LinkStatus.Active, reason: 'account registered', revoke: false }
        : { to: LinkStatus.Failed, reason: 'AstraPay gave no account token', revoke: true, problem: `${source} said ACTIVE without an account token` };
    case 'FAILED':
      return { to: LinkStatus.Failed, reason: word.reason ?? 'account validation failed', revoke: false };
    case 'EXPIRED':
      return { to: LinkStatus.Expired, reason: word.reason ?? 'the customer did not register in time', revoke: false };
  }
}

/**
 * The deadline passed without a callback: AstraPay's status decides when it is final; anything else (pending,
 * expired, unknown, unreachable) expires for the merchant and is revoked, so a late registration cannot link.
 */
export function settleLink(found: LinkWord | 'pending' | 'not-found' | 'unreachable', source: string): LinkVerdict {
  if (found !== 'pending' && found !== 'not-found' && found !== 'unreachable' && (found.state === 'FAILED' || (found.state === 'ACTIVE' && found.hasAccountToken))) {
    return linkVerdict(found, source);
  }
  return { to: LinkStatus.Expired, reason: 'the customer did not register in time', revoke: true };
}

/** A merchant's `linkDisable`: a live link is disabled (and revoked); a disabled one again is the same answer. */
export function disablePlan(status: LinkStatus): 'disable' | 'already' | 'refuse' {
  if (status === LinkStatus.Pending || status === LinkStatus.Active) return 'disable';
  if (status === LinkStatus.Disabled) return 'already';
  return 'refuse';
}

/** A payment runs on an active link with its account token only. */
export function linkPaymentAllowed(status: LinkStatus, hasAccountToken: boolean): boolean {
  return status === LinkStatus.Active && hasAccountToken;
}
