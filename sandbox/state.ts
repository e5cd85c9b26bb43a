import { z } from 'zod';
import { AstraPayState } from './astrapay/schemas.js';
import { CheckoutState } from './checkout/schemas.js';
import { DanaState } from './dana/wallet.js';
import { LedgerEntry } from './ledger.js';
import { LinkAjaState } from './linkaja/wallet.js';
import { OvoState } from './ovo/schemas.js';

/** Everything the sandbox keeps across restarts; a new wallet simulator adds its slice here. */
export const SandboxState = z.object({
  version: z.literal(1),
  ledger: z.array(LedgerEntry).default([]),
  ovo: OvoState.prefault({}),
  dana: DanaState.prefault({}),
  shopeepay: CheckoutState.prefault({}),
  linkaja: LinkAjaState.prefault({}),
  astrapay: AstraPayState.prefault({}),
});
export type SandboxState = z.infer<typeof SandboxState>;

export const STATE_FILE_NAME = 'sandbox-state.json';
