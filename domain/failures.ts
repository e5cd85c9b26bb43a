/**
 * Failure type names, matched by constant (STYLE): the SDK reads `constructor.name`, so matching class
 * names would let a rename silently turn a business failure retryable.
 */
export const FailureType = {
  RegistrationConflict: 'RegistrationConflict',
  InvalidState: 'InvalidState',
  WalletUnavailable: 'WalletUnavailable',
  WalletRejected: 'WalletRejected',
  NotificationFailed: 'NotificationFailed',
  NotFound: 'NotFound',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];
