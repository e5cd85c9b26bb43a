import { astraPay } from './astrapay.js';
import { dana } from './dana.js';
import { linkAja } from './linkaja.js';
import { ovo } from './ovo.js';
import { shopeePay } from './shopeepay.js';
import type { WalletModule } from './module.js';

/** The wallets the gateway and the sandbox serve. A new wallet is one module (wallets/<wallet>.ts) and one line here. */
export const defaultWallets: readonly WalletModule[] = [ovo, dana, shopeePay, linkAja, astraPay];
