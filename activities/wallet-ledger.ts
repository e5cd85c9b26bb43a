import type { WalletLedgerEntry } from '../domain/reconciliation.js';
import type { WalletDescriptor } from '../wallets/descriptor.js';

/**
 * Where the wallets' own record of money movements comes from. Here it is the sandbox's ledger; in production each
 * wallet's daily settlement report (OVO's, DANA's, ShopeePay's, LinkAja's, AstraPay's settlement files or APIs)
 * implements this same interface, one source per wallet, merged by the worker: the reconciliation does not change.
 * A source names each entry's wallet as the gateway knows it (`mitraCd`), from the registry's `ledgerName`.
 */
export interface WalletLedgerSource {
  /** Every charge and refund, at every wallet, with `from <= at < to`. */
  entries(from: Date, to: Date): Promise<WalletLedgerEntry[]>;
}

interface SandboxLedgerReply {
  entries: { wallet: string; type: 'charge' | 'refund'; merchantInvoice: string; amount: number; at: string }[];
}

/** The sandbox's `GET /sandbox/ledger` (every wallet; the sandbox filters by wallet and invoice only, so by time here). */
export class SandboxLedgerSource implements WalletLedgerSource {
  readonly #mitraCdOf: ReadonlyMap<string, string>;

  constructor(
    private readonly baseUrl: string,
    wallets: readonly Pick<WalletDescriptor, 'ledgerName' | 'mitraCd'>[],
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.#mitraCdOf = new Map(wallets.map((w) => [w.ledgerName, w.mitraCd]));
  }

  async entries(from: Date, to: Date): Promise<WalletLedgerEntry[]> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/sandbox/ledger`;
    const res = await this.fetchImpl(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`sandbox ledger answered HTTP ${res.status}`);
    const body = (await res.json()) as SandboxLedgerReply;
    if (!Array.isArray(body.entries)) throw new Error('sandbox ledger answered without entries');
    const [lo, hi] = [from.getTime(), to.getTime()];
    return body.entries
      .filter((e) => {
        const at = Date.parse(e.at);
        return at >= lo && at < hi;
      })
      .map(({ wallet, type, merchantInvoice, amount, at }) => {
        const mitraCd = this.#mitraCdOf.get(wallet);
        return { wallet, ...(mitraCd !== undefined ? { mitraCd } : {}), type, merchantInvoice, amount, at };
      });
  }
}
