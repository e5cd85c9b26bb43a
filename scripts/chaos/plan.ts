import { randomUUID } from 'node:crypto';
import { defaultWallets } from '../../wallets/registry.js';

/**
 * The wallets a chaos run pays with: every wallet of the registry. A wallet that pays on a linked account (AstraPay)
 * pays on accounts linked with a `…000` phone (they approve).
 */
const wallets = defaultWallets;
/** CONTRACT §6: every automatic customer behaviour (not 008/009, which are about refunds). */
const magics = ['000', '001', '002', '003', '004', '005', '006', '007'] as const;

export interface PlannedPayment {
  readonly mitraCd: string;
  /** Pays on a linked account (`linkEnable.do`, then `linkInitiate.do`). */
  readonly linked: boolean;
  readonly magic: string;
  readonly phone: string;
  readonly referenceNo: string;
}

/** `total` payments, wallets and magic values interleaved, each with its own phone and referenceNo. */
export function planPayments(total: number): PlannedPayment[] {
  const run = randomUUID().slice(0, 6);
  return Array.from({ length: total }, (_, i) => {
    const wallet = wallets[i % wallets.length];
    if (wallet === undefined) throw new Error('the wallet registry is empty');
    const linked = wallet.accountLinks;
    const magic = linked ? '000' : (magics[Math.floor(i / wallets.length) % magics.length] ?? '000');
    return { mitraCd: wallet.mitraCd, linked, magic, phone: `0817${String(i).padStart(5, '0')}${magic}`, referenceNo: `CHAOS-${run}-${i}` };
  });
}

export interface Outcome {
  readonly status: string;
  readonly cancelAmt: number;
}

/** What the customer of each magic value may lead to (status, and what the merchant must see refunded). */
export function expectedOutcomes(magic: string): readonly Outcome[] {
  switch (magic) {
    case '001':
    case '007':
      return [{ status: '8', cancelAmt: 0 }];
    case '002':
      return [{ status: '5', cancelAmt: 0 }];
    case '006':
      // Approved after the window: reconciled by a refund; or, when the gateway's own status check comes after the
      // late approval (a busy machine, a restarted worker), simply paid. Either way the ledger must agree.
      return [
        { status: '5', cancelAmt: 15000 },
        { status: '0', cancelAmt: 0 },
      ];
    default:
      return [{ status: '0', cancelAmt: 0 }];
  }
}
