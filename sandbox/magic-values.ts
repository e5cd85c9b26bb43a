/**
 * Magic values (CONTRACT §6): the last three digits of the customer's phone decide what the simulated customer
 * and wallet do, for every wallet. One table, read by every simulator and rendered on the sandbox pages; keep
 * sandbox/README.md in step with it.
 *
 * | ends in | customer / wallet behaviour                                                                          |
 * |---------|------------------------------------------------------------------------------------------------------|
 * | 000     | approves after SANDBOX_APPROVE_DELAY_MS → SUCCESS, ledger charge, one callback                        |
 * | 001     | declines after the delay → DECLINED ("customer declined"), one callback                               |
 * | 002     | never responds: stays PENDING until the merchant voids it or it expires                               |
 * | 003     | approves after the delay → SUCCESS, ledger charge, but the wallet never sends a callback              |
 * | 004     | approves after the delay → SUCCESS; three callbacks in order: SUCCESS, a stale PENDING, SUCCESS again |
 * | 005     | the first two create calls for the invoice fail with HTTP 500 (nothing recorded); then like 000       |
 * | 006     | approves only after SANDBOX_LATE_APPROVE_MS (past the gateway's timeout), even if voided by then      |
 * | 007     | after the delay → INSUFFICIENT_BALANCE ("insufficient balance"), one callback                         |
 * | 008     | like 000 (paid, charged, one callback), but every refund is refused for good: "refund not allowed"   |
 * |         | in the wallet's format (OVO 422 REFUND_NOT_ALLOWED), nothing recorded; voids as for 000              |
 * | 009     | like 000, but the first two refund calls for the payment fail with HTTP 500 (nothing recorded);      |
 * |         | then refunds work as usual                                                                           |
 * | other   | nothing automatic: a person approves or declines on the customer page                                |
 */

/** What the simulated customer does with the request. */
export type CustomerAction = 'approve' | 'decline' | 'insufficient-balance' | 'none' | 'manual';

/** When the customer acts: after SANDBOX_APPROVE_DELAY_MS, after SANDBOX_LATE_APPROVE_MS, or never by itself. */
export type ActionTiming = 'delay' | 'late' | 'never';

/** How the wallet reports the outcome to the gateway. */
export type CallbackMode = 'normal' | 'none' | 'triple-with-stale-pending';

export interface MagicValue {
  /** The last three digits, or `null` for the catch-all row. */
  readonly suffix: string | null;
  readonly action: CustomerAction;
  readonly timing: ActionTiming;
  readonly callbacks: CallbackMode;
  /** How many create calls for one invoice fail with HTTP 500 before one works. */
  readonly failingCreates: number;
  /** The late approval wins even over a void or an expiry (a void that lost the race at the wallet). */
  readonly approvalBeatsVoid: boolean;
  /** Every refund of the payment is refused for good ("refund not allowed"); nothing is recorded. */
  readonly refusesRefunds: boolean;
  /** How many refund calls for one payment fail with HTTP 500 before one works. */
  readonly failingRefunds: number;
  /** One line for people: README, index page, phone page hints. */
  readonly summary: string;
}

type Defaulted = 'failingCreates' | 'approvalBeatsVoid' | 'refusesRefunds' | 'failingRefunds';

const row = (value: Omit<MagicValue, Defaulted> & Partial<Pick<MagicValue, Defaulted>>): MagicValue =>
  Object.freeze({ failingCreates: 0, approvalBeatsVoid: false, refusesRefunds: false, failingRefunds: 0, ...value });

export const magicValues: readonly MagicValue[] = Object.freeze([
  row({ suffix: '000', action: 'approve', timing: 'delay', callbacks: 'normal', summary: 'approves after the delay → paid' }),
  row({ suffix: '001', action: 'decline', timing: 'delay', callbacks: 'normal', summary: 'declines after the delay → failed' }),
  row({ suffix: '002', action: 'none', timing: 'never', callbacks: 'normal', summary: 'never responds → stays pending until voided or expired' }),
  row({ suffix: '003', action: 'approve', timing: 'delay', callbacks: 'none', summary: 'approves, but the wallet never sends the callback' }),
  row({
    suffix: '004',
    action: 'approve',
    timing: 'delay',
    callbacks: 'triple-with-stale-pending',
    summary: 'approves; callbacks arrive three times: paid, a stale pending, paid again',
  }),
  row({
    suffix: '005',
    action: 'approve',
    timing: 'delay',
    callbacks: 'normal',
    failingCreates: 2,
    summary: "the wallet's create call fails (HTTP 500) twice, then works and approves",
  }),
  row({
    suffix: '006',
    action: 'approve',
    timing: 'late',
    callbacks: 'normal',
    approvalBeatsVoid: true,
    summary: "approves only after the gateway's timeout (OVO push, checkout), even if voided meanwhile",
  }),
  row({ suffix: '007', action: 'insufficient-balance', timing: 'delay', callbacks: 'normal', summary: 'insufficient balance after the delay → failed' }),
  row({
    suffix: '008',
    action: 'approve',
    timing: 'delay',
    callbacks: 'normal',
    refusesRefunds: true,
    summary: 'approves after the delay → paid, but every refund is refused (refund not allowed)',
  }),
  row({
    suffix: '009',
    action: 'approve',
    timing: 'delay',
    callbacks: 'normal',
    failingRefunds: 2,
    summary: "approves after the delay → paid; the wallet's refund call fails (HTTP 500) twice, then works",
  }),
]);

export const manualValue: MagicValue = row({
  suffix: null,
  action: 'manual',
  timing: 'never',
  callbacks: 'normal',
  summary: 'nothing automatic: approve or decline on the customer page',
});

/** The behaviour for a phone number (any format: 08…, 628…, +628…), decided by its last three digits. */
export function magicOutcome(phone: string): MagicValue {
  const digits = phone.replace(/\D/g, '');
  const suffix = digits.slice(-3);
  return magicValues.find((m) => m.suffix === suffix) ?? manualValue;
}

/** AstraPay account links (CONTRACT §6), by the linking phone's last three digits; any other: a person on the registration page. */
export type LinkMagicAction = 'activate' | 'fail-validation' | 'abandon';

export interface LinkMagicValue {
  readonly suffix: string;
  readonly action: LinkMagicAction;
  readonly summary: string;
}

export const linkMagicValues: readonly LinkMagicValue[] = Object.freeze([
  { suffix: '000', action: 'activate', summary: 'registers at once → ACTIVE after the delay' },
  { suffix: '001', action: 'fail-validation', summary: 'fails validation → FAILED (also when registered on the page)' },
  { suffix: '002', action: 'abandon', summary: 'abandons → stays PENDING, EXPIRED at expiresAt' },
]);

/** The link behaviour for a linking phone, or `undefined`: a person registers (or cancels) on the page. */
export function linkMagicOutcome(phone: string): LinkMagicValue | undefined {
  const suffix = phone.replace(/\D/g, '').slice(-3);
  return linkMagicValues.find((m) => m.suffix === suffix);
}
