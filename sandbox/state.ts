import { z } from 'zod';
import { LedgerEntry } from './ledger.js';

/**
 * Everything the sandbox keeps across restarts: the ledger, and each wallet's slice by its callbackPath, which only
 * that wallet's simulator reads (simulator-kind.ts `parseSlice`). Pre-1.0 there is no migration: a file of another
 * version does not parse and is moved aside (store.ts), a slice that does not parse is dropped; both start afresh,
 * with a warning.
 */
export const SandboxState = z.object({
  version: z.literal(2),
  ledger: z.array(LedgerEntry).default([]),
  wallets: z.record(z.string(), z.unknown()).default({}),
});
export type SandboxState = z.infer<typeof SandboxState>;

export const STATE_FILE_NAME = 'sandbox-state.json';
