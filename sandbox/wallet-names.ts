import { z } from 'zod';

/**
 * A wallet's name where a caller gives one (`?wallet=`, `POST /sandbox/faults`): one of the configured ledger names,
 * which the message lists, since they come from the registry and may be new to the caller.
 */
export function walletName(known: readonly string[]): z.ZodType<string> {
  return z.string().refine((name) => known.includes(name), { message: `unknown wallet; one of ${known.join(', ')}` });
}
