import type { Request, Response } from 'express';
import { CallbackRejectedError, type LinkCallback } from '../../activities/wallets/adapter.js';
import { sealSecret } from '../../domain/sealed-secret.js';
import type { ApiDeps } from '../deps.js';
import { GatewayError } from '../errors.js';

/**
 * A wallet callback in steps (STYLE): verify the source (signature), the transaction (known, this wallet's)
 * and the amount, then signal the workflow. A refused callback changes nothing. The route writes no state.
 */
export function walletCallbackRoute(deps: ApiDeps) {
  return async (req: Request<{ provider: string }>, res: Response): Promise<void> => {
    // `/callbacks/<callbackPath>` of a wallet of the registry (CONTRACT §1).
    const wallet = deps.wallets.byCallbackPath(req.params.provider);
    if (!wallet) {
      res.status(404).json({ error: 'unknown wallet' });
      return;
    }
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let callback;
    try {
      const { verifier } = wallet;
      const linkCallback = verifier.parseLinkCallback?.({ headers: req.headers, rawBody });
      if (linkCallback) {
        await deliverLinkCallback(deps, linkCallback, res);
        deps.metrics?.callback(req.params.provider, res.statusCode === 200 ? 'link-accepted' : 'link-unknown');
        return;
      }
      callback = verifier.parseCallback({ headers: req.headers, rawBody });
    } catch (err) {
      if (err instanceof CallbackRejectedError) {
        deps.logger.warn({ provider: req.params.provider, reason: err.message }, 'wallet callback refused');
        deps.metrics?.callback(req.params.provider, 'refused');
        res.status(err.httpStatus).json({ error: err.message });
        return;
      }
      throw err;
    }
    const registered = await deps.payments.registered(callback.tXid).catch((err: unknown) => {
      if (err instanceof GatewayError && err.resultCd === '8004') return undefined;
      throw err;
    });
    if (!registered || registered.mitraCd !== wallet.descriptor.mitraCd) {
      deps.logger.warn({ provider: req.params.provider, tXid: callback.tXid }, 'wallet callback for an unknown transaction refused');
      deps.metrics?.callback(req.params.provider, 'unknown-transaction', callback.occurredAt);
      res.status(404).json({ error: 'unknown transaction' });
      return;
    }
    if (callback.amount !== registered.amt) {
      deps.logger.warn({ tXid: callback.tXid, amount: callback.amount, expected: registered.amt }, 'wallet callback with a mismatched amount refused');
      deps.metrics?.callback(req.params.provider, 'amount-mismatch', callback.occurredAt);
      res.status(422).json({ error: 'amount does not match the transaction' });
      return;
    }
    const delivered = await deps.payments.deliverCallback(callback.tXid, {
      state: callback.state,
      amount: callback.amount,
      providerRef: callback.providerRef,
      ...(callback.reason ? { reason: callback.reason } : {}),
      ...(callback.occurredAt ? { occurredAt: callback.occurredAt } : {}),
    });
    if (delivered === 'closed') {
      // Retrying cannot help: the transaction is closed. The daily reconciliation compares it with the wallet's books.
      deps.logger.warn({ tXid: callback.tXid, state: callback.state, provider: req.params.provider }, 'wallet callback for a closed transaction: left to reconciliation');
      deps.metrics?.callback(req.params.provider, 'closed', callback.occurredAt);
      res.status(200).json(wallet.verifier.callbackAcknowledgement ?? { status: 'IGNORED', reason: 'transaction closed' });
      return;
    }
    deps.logger.info({ tXid: callback.tXid, state: callback.state, provider: req.params.provider }, 'wallet callback accepted');
    deps.metrics?.callback(req.params.provider, 'accepted', callback.occurredAt);
    res.status(200).json(wallet.verifier.callbackAcknowledgement ?? { status: 'OK' });
  };
}

/** An account link's callback: its token is sealed before it reaches the workflow (and Temporal's history). */
async function deliverLinkCallback(deps: ApiDeps, callback: LinkCallback, res: Response): Promise<void> {
  const { accountToken, ...rest } = callback;
  const delivered = await deps.links.deliverCallback({
    mandateID: rest.mandateID,
    state: rest.state,
    providerRef: rest.providerRef,
    ...(accountToken ? { sealedAccountToken: sealSecret(deps.config.accountLinks.tokenKey, accountToken) } : {}),
    ...(rest.reason ? { reason: rest.reason } : {}),
  });
  if (!delivered) {
    deps.logger.warn({ mandateID: rest.mandateID }, 'account link callback for an unknown link refused');
    res.status(404).json({ error: 'unknown account link' });
    return;
  }
  deps.logger.info({ mandateID: rest.mandateID, state: rest.state }, 'account link callback accepted');
  res.status(200).json({ status: 'OK' });
}
