import { z } from 'zod';

/** The wallets the sandbox simulates; a new simulator adds its name here (ledger, faults, callbacks use it). */
export const sandboxWallets = ['OVO', 'DANA', 'SHOPEEPAY', 'LINKAJA', 'ASTRAPAY'] as const;

export const SandboxWallet = z.enum(sandboxWallets);
export type SandboxWallet = z.infer<typeof SandboxWallet>;
