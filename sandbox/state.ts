import { z } from 'zod';
import { AstraPayState } from './astrapay/schemas.js';
import { DanaState } from './dana/wallet.js';
import { LedgerEntry } from './ledger.js';
import { DirectDebitState } from './snap/direct-debit-wallet.js';

/** Everything the sandbox keeps across restarts; a new wallet simulator adds its slice here. */
export const SandboxState = z.object({
  version: z.literal(1),
  ledger: z.array(LedgerEntry).default([]),
  // `catch`: a state file from before OVO spoke SNAP holds payments its SNAP API cannot serve; OVO starts afresh.
  ovo: DirectDebitState.prefault({}).catch(() => DirectDebitState.parse({})),
  dana: DanaState.prefault({}),
  shopeepay: DirectDebitState.prefault({}),
  linkaja: DirectDebitState.prefault({}),
  astrapay: AstraPayState.prefault({}),
});
export type SandboxState = z.infer<typeof SandboxState>;

export const STATE_FILE_NAME = 'sandbox-state.json';
