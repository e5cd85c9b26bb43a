import { z } from 'zod';
import type { WalletCredentials, WalletEndpoint } from '../../../domain/wallet-settings.js';
import type { ApprovalFlow } from '../../../domain/wallets.js';
import type { CreatePaymentRequest, CreatePaymentResult } from '../adapter.js';
import { readBody } from '../http.js';
import { SnapAdapter, type SnapPaths } from './snap-adapter.js';

/** SNAP Direct Debit's standard paths (WALLET-APIS.md), under the wallet's base URL, signed exactly so. */
export const directDebitPaths = {
  token: '/v1.0/access-token/b2b',
  create: '/v1.0/debit/payment-host-to-host',
  status: '/v1.0/debit/status',
  cancel: '/v1.0/debit/cancel',
  refund: '/v1.0/debit/refund',
} as const satisfies SnapPaths & { readonly token: string };

/** `CHANNEL-ID`: 5 characters in the standard; the value SNAP providers' examples use. */
const CHANNEL_ID = '95221';
/** Caps of the fields we fill (the standard's lengths for additionalInfo are the wallet's; these are conservative). */
const REMARK_MAX = 256;

const redirected = z.object({ referenceNo: z.string().min(1), webRedirectUrl: z.string().min(1) });
const pushed = z.object({ referenceNo: z.string().min(1) });

/** What a Direct Debit wallet signs with: its client secret and the gateway's RSA key. */
export type SymmetricCredentials = Extract<WalletCredentials, { readonly profile: 'symmetric-b2b' }>;

export interface DirectDebitWallet {
  readonly mitraCd: string;
  /** For messages: `ShopeePay`. */
  readonly name: string;
  /** `redirect` (default): the create answers `200xx00` with `webRedirectUrl`; `push`: `202xx00`, the customer approves in the app. */
  readonly flow?: ApprovalFlow;
  /** The wallet's published paths where they differ from the standard's (OVO's `/OVOSNAP` prefix). */
  readonly paths?: SnapPaths & { readonly token: string };
  /** `X-TIMESTAMP` with milliseconds, as OVO writes it. */
  readonly millisecondTimestamps?: boolean;
}

/**
 * A wallet on SNAP Direct Debit (symmetric profile): a B2B access token (RSA-signed request, cached, refreshed on
 * `401xx01`), then every call HMAC-SHA512-signed with the client secret. The customer is redirected to the wallet's
 * `webRedirectUrl`, or (push) approves a request in the wallet's app; the wallet's notify is verified with its public
 * key over the gateway's own notify path (snap/notify-verifier.ts).
 */
export class SnapDirectDebitAdapter extends SnapAdapter {
  constructor(wallet: DirectDebitWallet, endpoint: WalletEndpoint, credentials: SymmetricCredentials, fetchImpl: typeof fetch = fetch) {
    const paths = wallet.paths ?? directDebitPaths;
    super({
      mitraCd: wallet.mitraCd,
      name: wallet.name,
      flow: wallet.flow ?? 'redirect',
      paths,
      merchantId: endpoint.merchantId,
      client: {
        baseUrl: endpoint.baseUrl,
        partnerId: endpoint.merchantId,
        channelId: CHANNEL_ID,
        privateKey: credentials.privateKey,
        profile: { kind: 'symmetric-b2b', clientSecret: credentials.clientSecret, tokenPath: paths.token },
        ...(wallet.millisecondTimestamps === true ? { millisecondTimestamps: true } : {}),
        fetchImpl,
      },
      notifyUrl: endpoint.notifyUrl,
    });
  }

  async createPayment(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    // The standard has no field for the customer's phone or the order's title; `phoneNo` is SNAP's own name for a
    // customer's phone (account binding), and what ShopeePay and LinkAja read too.
    const res = await this.postOrder(req, 'PAY_NOTIFY', { phoneNo: req.phone, remark: req.goodsName.slice(0, REMARK_MAX) });
    if (this.flow === 'push') {
      // The push is on the customer's phone: "in progress" (202xx00) is the answer; a wallet may also say 200xx00.
      if (res.outcome.kind === 'in-progress' || res.outcome.kind === 'success') return { providerRef: readBody(this.name, pushed, res).referenceNo };
    } else if (res.outcome.kind === 'success') {
      const body = readBody(this.name, redirected, res);
      return { providerRef: body.referenceNo, redirectUrl: body.webRedirectUrl };
    }
    throw this.refusal('create payment', res);
  }
}
