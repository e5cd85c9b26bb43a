import { z } from 'zod';
import { LedgerEntry } from './ledger.js';
import { OvoState } from './ovo/schemas.js';

/** Everything the sandbox keeps across restarts; a new wallet simulator adds its slice here. */
export const SandboxState = z.object({
  version: z.literal(1),
  ledger: z.array(LedgerEntry).default([]),
  ovo: OvoState.prefault({}),
});
export type SandboxState = z.infer<typeof SandboxState>;

export const STATE_FILE_NAME = 'sandbox-state.json';
