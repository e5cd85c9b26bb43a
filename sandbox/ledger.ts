import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The sandbox's book of money movements, shared by every simulated wallet: one `charge` when a customer's
 * payment succeeds (exactly once per payment) and one `refund` per refund. Tests and operators read it on
 * `GET /sandbox/ledger` to prove "paid once, charged once". Amounts are integer rupiah.
 */
export const LedgerEntry = z.object({
  id: z.string(),
  /** The wallet's ledger name (its descriptor's `ledgerName`). */
  wallet: z.string(),
  type: z.enum(['charge', 'refund']),
  merchantInvoice: z.string(),
  paymentId: z.string(),
  amount: z.int().positive(),
  /** Never the full number (see mask.ts). */
  phoneMasked: z.string(),
  at: z.iso.datetime(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export type NewLedgerEntry = Omit<LedgerEntry, 'id' | 'at'>;

export interface LedgerFilter {
  readonly wallet?: string;
  readonly merchantInvoice?: string;
}

export class Ledger {
  readonly #entries: LedgerEntry[];
  readonly #onChange: () => void;

  constructor(entries: readonly LedgerEntry[] = [], onChange: () => void = () => {}) {
    this.#entries = [...entries];
    this.#onChange = onChange;
  }

  record(entry: NewLedgerEntry, at: Date = new Date()): LedgerEntry {
    const full: LedgerEntry = { id: `LED-${randomBytes(8).toString('hex').toUpperCase()}`, ...entry, at: at.toISOString() };
    this.#entries.push(full);
    this.#onChange();
    return full;
  }

  entries(filter: LedgerFilter = {}): LedgerEntry[] {
    return this.#entries.filter(
      (e) =>
        (filter.wallet === undefined || e.wallet === filter.wallet) &&
        (filter.merchantInvoice === undefined || e.merchantInvoice === filter.merchantInvoice),
    );
  }

  toJSON(): LedgerEntry[] {
    return [...this.#entries];
  }
}
