import { z } from 'zod';
import type { DanaConfig } from '../../domain/config.js';
import { MitraCd } from '../../domain/wallets.js';
import type { CreatePaymentRequest, CreatePaymentResult } from './adapter.js';
import { readBody } from './http.js';
import { SnapAdapter, snapNotifyAcknowledgement } from './snap/snap-adapter.js';

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

/** The answer DANA expects to its finish notify (service 56). */
export const danaNotifyAcknowledgement = snapNotifyAcknowledgement;

const created = z.object({ referenceNo: z.string().min(1), webRedirectUrl: z.string().min(1) });

/**
 * DANA's Payment Gateway (SNAP, asymmetric profile): the customer is redirected to DANA's checkout. Every call is
 * SHA256withRSA-signed with the gateway's key, without a token; DANA's finish notify names the merchant and is
 * verified with DANA's public key over the gateway's own notify path. Only the create body is DANA's own.
 */
export class DanaAdapter extends SnapAdapter {
  constructor(config: DanaConfig, fetchImpl: typeof fetch = fetch) {
    super({
      mitraCd: MitraCd.Dana,
      name: 'DANA',
      flow: 'redirect',
      paths: danaPaths,
      merchantId: config.merchantId,
      client: {
        baseUrl: config.baseUrl,
        partnerId: config.partnerId,
        channelId: CHANNEL_ID,
        origin: config.origin,
        privateKey: config.privateKey,
        profile: { kind: 'asymmetric' },
        fetchImpl,
      },
      publicKey: config.publicKey,
      notifyUrl: config.notifyUrl,
      notifyNamesMerchant: true,
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
