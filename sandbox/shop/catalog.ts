/** What the demo coffee shop sells and which wallets it takes. Prices are integer rupiah. */
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { brandOf } from '../simulators.js';

export interface CatalogItem {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  /** The item's picture is its initials on this colour: no external assets, no emoji font needed. */
  readonly initials: string;
  readonly color: string;
  /** Quantity pre-selected on the shop page. */
  readonly defaultQuantity: number;
}

export const catalog: readonly CatalogItem[] = Object.freeze([
  { id: 'kopi-susu', name: 'Kopi Susu Gula Aren', description: 'Espresso, fresh milk, palm sugar', price: 25_000, initials: 'KS', color: '#8a4b1f', defaultQuantity: 1 },
  { id: 'es-kopi-pandan', name: 'Es Kopi Pandan', description: 'Iced coffee with pandan cream', price: 28_000, initials: 'EK', color: '#4f7a3a', defaultQuantity: 0 },
  { id: 'teh-tarik', name: 'Teh Tarik', description: 'Pulled milk tea', price: 18_000, initials: 'TT', color: '#b5651d', defaultQuantity: 0 },
  { id: 'pisang-goreng', name: 'Pisang Goreng', description: 'Fried banana, palm sugar dip', price: 15_000, initials: 'PG', color: '#c9971c', defaultQuantity: 0 },
]);

export const MAX_QUANTITY = 9;

export interface ShopWallet {
  /** NICEPAY's `mitraCd` (CONTRACT §3). */
  readonly mitraCd: string;
  /** The radio button's accessible name. */
  readonly name: string;
  readonly color: string;
}

/** The configured wallets, in the registry's order, each in its brand's colour. */
export function shopWallets(wallets: readonly WalletDescriptor[]): readonly ShopWallet[] {
  return wallets.map((d) => ({ mitraCd: d.mitraCd, name: d.name, color: brandOf(d).color }));
}

export function walletByMitraCd(wallets: readonly ShopWallet[], mitraCd: string): ShopWallet | undefined {
  return wallets.find((w) => w.mitraCd === mitraCd);
}

export interface CartLine {
  readonly item: CatalogItem;
  readonly quantity: number;
}

/** Lines with a quantity above zero, in catalog order. */
export type Cart = readonly CartLine[];

export function cartTotal(cart: Cart): number {
  return cart.reduce((sum, line) => sum + line.item.price * line.quantity, 0);
}

/** `qty-<item id>` form fields → a cart; anything not a whole number 0…MAX_QUANTITY counts as 0. */
export function cartFromForm(form: Readonly<Record<string, unknown>>): Cart {
  return catalog.flatMap((item) => {
    const value = form[`qty-${item.id}`];
    const quantity = typeof value === 'string' && /^\d{1,2}$/.test(value.trim()) ? Number(value.trim()) : 0;
    return quantity > 0 && quantity <= MAX_QUANTITY ? [{ item, quantity }] : [];
  });
}

/** NICEPAY's `goodsNm` (at most 100 characters): "Kopi Susu Gula Aren ×2, Teh Tarik". */
export function goodsName(cart: Cart): string {
  const text = cart.map((l) => (l.quantity > 1 ? `${l.item.name} ×${l.quantity}` : l.item.name)).join(', ');
  return text.length <= 100 ? text : `${text.slice(0, 99)}…`;
}

/** NICEPAY's `cartData`: a JSON string of the lines. */
export function cartData(cart: Cart): string {
  return JSON.stringify({
    count: cart.length,
    item: cart.map((l) => ({ goods_id: l.item.id, goods_name: l.item.name, goods_quantity: String(l.quantity), goods_amt: String(l.item.price * l.quantity) })),
  });
}
