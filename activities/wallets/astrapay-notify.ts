import { z } from 'zod';
import { CallbackRejectedError, type LinkCallback, type RawCallback } from './adapter.js';
import { parseCallbackJson } from './callback-verify.js';
import { SnapNotifyVerifier } from './snap/notify-verifier.js';
import { parseSnapTimestamp } from './snap/timestamp.js';

/** The binding result AstraPay sends to `/callbacks/astrapay`: told apart from a payment notify by `partnerReferenceNo`. */
const bindingNotify = z.object({
  partnerReferenceNo: z.string(),
  referenceNo: z.string(),
  merchantId: z.string().optional(),
  accessToken: z.string().min(1).optional(),
  additionalInfo: z.object({ bindingStatus: z.enum(['ACTIVE', 'FAILED', 'EXPIRED']), reason: z.string().optional() }),
  finishedTime: z.string().optional(),
});
const paymentNotifyMark = z.object({ originalPartnerReferenceNo: z.string() });

/** AstraPay's notifies: payments as every SNAP wallet's, and binding results, signed alike with AstraPay's key. */
export class AstraPayNotifyVerifier extends SnapNotifyVerifier {
  /** The binding result, verified as every SNAP notify; a payment notify → `undefined` (then `parseCallback`). */
  parseLinkCallback(cb: RawCallback): LinkCallback | undefined {
    this.verifySignature(cb);
    const json = parseCallbackJson(this.name, z.record(z.string(), z.unknown()), cb.rawBody);
    if (paymentNotifyMark.safeParse(json).success) return undefined;
    const n = parseCallbackJson(this.name, bindingNotify, cb.rawBody);
    this.requireOurs(n.merchantId);
    const state = n.additionalInfo.bindingStatus;
    if (state === 'ACTIVE' && n.accessToken === undefined) throw new CallbackRejectedError(`malformed ${this.name} callback: accessToken`, 400);
    const occurredAt = parseSnapTimestamp(n.finishedTime);
    return {
      mandateID: n.partnerReferenceNo,
      state,
      providerRef: n.referenceNo,
      ...(state === 'ACTIVE' && n.accessToken ? { accountToken: n.accessToken } : {}),
      ...(n.additionalInfo.reason ? { reason: n.additionalInfo.reason } : {}),
      ...(occurredAt !== undefined ? { occurredAt: new Date(occurredAt).toISOString() } : {}),
    };
  }
}
