import { createPublicKey, randomBytes } from 'node:crypto';
import express from 'express';
import type { CheckoutBrand } from '../checkout/pages.js';
import { CheckoutSimulator } from '../checkout/simulator.js';
import { parseSlice, type SimulatorKind } from '../simulator-kind.js';
import { createDirectDebitRouter, DIRECT_DEBIT_BASE } from '../snap/direct-debit.js';
import { directDebitAuth, directDebitCalls } from '../snap/direct-debit-simulator.js';
import { directDebitSpec } from '../snap/direct-debit-wallet.js';
import { ExternalIds } from '../snap/external-ids.js';
import { snapNotifySigner } from '../snap/notify-headers.js';
import { createB2bTokenRouter } from '../snap/token-endpoint.js';
import { B2bTokens } from '../snap/tokens.js';
import { symmetricKeys } from '../wallet-config.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { bindingPaths, createAstraPayBindingRouter, createAstraPayPayRouter } from './api.js';
import { AstraPayLinks } from './links.js';
import { createAstraPayPagesRouter } from './pages.js';
import { AstraPayState } from './schemas.js';

const brand = (d: WalletDescriptor): CheckoutBrand => ({ name: d.name, color: '#1B3A6B', dark: '#12294D', soft: '#FBF3DF', balanceLabel: `${d.name} balance` });

/**
 * AstraPay on SNAP, as NICEPAY documents it for `ASTR`: account binding (links.ts) and Direct Debit on a bound account
 * (`Authorization-Customer`), whose payments are the redirect checkout core's with a PIN page instead of a login
 * (ids `AP` + 16 hex, notified to the order's PAY_NOTIFY url, RSA-signed); the magic values of a payment follow the
 * bound account's phone.
 */
export const astraPaySimulator: SimulatorKind = {
  brand,
  page: (d) => ({
    description: `SNAP account binding as NICEPAY documents it for ${d.mitraCd}, then Direct Debit on the bound account (Authorization-Customer): the customer registers once (OTP 123456) and confirms each payment with the PIN (123456).`,
    links: [{ label: 'API', href: `#${d.callbackPath}-api` }],
    api: {
      auth: `${directDebitAuth(d.callbackPath)}; a payment or unbinding adds Authorization-Customer: Bearer <customer token>`,
      calls: [...Object.values(bindingPaths).map((call) => `POST /${d.callbackPath}/v1.0${call}`), ...directDebitCalls(d.callbackPath)],
    },
  }),
  create: (d, deps, slice) => {
    const initial = parseSlice(AstraPayState, slice, d, deps.logger);
    const keys = symmetricKeys(deps.config, d);
    const merchantName = deps.config.merchantName;
    const prefix = `/${d.callbackPath}`;
    const spec = directDebitSpec({ wallet: d.ledgerName, key: d.callbackPath, brand: brand(d), keys, merchantName, newWalletRef: () => `AP${randomBytes(8).toString('hex').toUpperCase()}` });
    const simulator = new CheckoutSimulator(spec, { ...deps, ...(initial !== undefined ? { initial } : {}) });
    const links = new AstraPayLinks({ ...deps, initial, sign: snapNotifySigner(keys.privateKey, keys.clientId), merchantId: keys.clientId, wallet: d.ledgerName, callbackPath: d.callbackPath });
    const tokens = new B2bTokens(initial?.tokens ?? [], deps.onChange);
    const externalIds = new ExternalIds(initial?.externalIds);
    const client = { clientId: keys.clientId, clientSecret: keys.clientSecret };
    const api = { prefix, merchantName, simulator, links, deps, client, tokens, externalIds };
    const router = express.Router();
    router.use('/', createB2bTokenRouter({ clientId: keys.clientId, partnerPublicKey: createPublicKey(keys.partnerPublicKey) }, tokens));
    // The pay call is AstraPay's own (the bound account); status, cancel and refund are the standard's, shared.
    router.use(`${DIRECT_DEBIT_BASE}/payment-host-to-host`, createAstraPayPayRouter(api));
    router.use(DIRECT_DEBIT_BASE, createDirectDebitRouter(simulator, deps, { wallet: d.ledgerName, prefix, client, merchantName, tokens, externalIds }));
    router.use('/v1.0', createAstraPayBindingRouter(api));
    router.use(createAstraPayPagesRouter({ simulator, links }));
    return {
      descriptor: d,
      router,
      callbackSources: [simulator, links],
      customers: [],
      resume: () => {
        simulator.resume();
        links.resume();
      },
      close: async () => {
        await Promise.all([simulator.close(), links.close()]);
      },
      toJSON: () => ({ ...simulator.toJSON(), tokens: tokens.toJSON(), externalIds: externalIds.toJSON(), ...links.toJSON() }),
    };
  },
};
