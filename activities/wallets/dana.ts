import { z } from 'zod';
import type { WalletCredentials, WalletEndpoint } from '../../domain/wallet-settings.js';
import type { CreatePaymentRequest, CreatePaymentResult } from './adapter.js';
import { readBody } from './http.js';
import { SnapAdapter } from './snap/snap-adapter.js';

/** DANA's published Payment Gateway paths (WALLET-APIS.md), signed exactly so: no base-URL prefix. */
export const danaPaths = {
  create: '/payment-gateway/v1.0/debit/payment-host-to-host.htm',
  status: '/payment-gateway/v1.0/debit/status.htm',
  cancel: '/payment-gateway/v1.0/debit/cancel.htm',
  refund: '/payment-gateway/v1.0/debit/refund.htm',
} as const;

/** `CHANNEL-ID` as DANA's Python SDK sends it. */
const CHANNEL_ID = '95221';
/**
 * The merchant category code DANA requires on every order. DANA fixes the real one when it onboards the merchant;
 * 5999 (miscellaneous retail) is the neutral value for a gateway that sells nothing itself.
 */
const MCC = '5999';
/** DANA's SDK caps `order.orderTitle` at 64 characters. */
const ORDER_TITLE_MAX = 64;

/** What DANA's calls are signed with: the partner id DANA gave the gateway, its origin, its RSA key. */
export type AsymmetricCredentials = Extract<WalletCredentials, { readonly profile: 'asymmetric' }>;

const created = z.object({ referenceNo: z.string().min(1), webRedirectUrl: z.string().min(1) });

/**
 * DANA's Payment Gateway (SNAP, asymmetric profile): the customer is redirected to DANA's checkout. Every call is
 * SHA256withRSA-signed with the gateway's key, without a token; DANA's finish notify names the merchant (its verifier:
 * wallets/dana.ts). Only the create body is DANA's own.
 */
export class DanaAdapter extends SnapAdapter {
  constructor(mitraCd: string, endpoint: WalletEndpoint, credentials: AsymmetricCredentials, fetchImpl: typeof fetch = fetch) {
    super({
      mitraCd,
      name: 'DANA',
      flow: 'redirect',
      paths: danaPaths,
      merchantId: endpoint.merchantId,
      client: {
        baseUrl: endpoint.baseUrl,
        partnerId: credentials.partnerId,
        channelId: CHANNEL_ID,
        origin: credentials.origin,
        privateKey: credentials.privateKey,
        profile: { kind: 'asymmetric' },
        fetchImpl,
      },
      notifyUrl: endpoint.notifyUrl,
    });
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const res = await this.postOrder(req, 'NOTIFICATION', {
      mcc: MCC,
      envInfo: { sourcePlatform: 'IPG', terminalType: 'SYSTEM' },
      order: {
        orderTitle: req.goodsName.slice(0, ORDER_TITLE_MAX),
        scenario: 'REDIRECT',
        buyer: { externalUserType: 'PHONE', externalUserId: req.phone },
      },
    });
    if (res.outcome.kind === 'success') {
      const body = readBody(this.name, created, res);
      return { providerRef: body.referenceNo, redirectUrl: body.webRedirectUrl };
    }
    throw this.refusal('create order', res);
  }
}
