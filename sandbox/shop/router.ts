import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { SandboxConfig } from '../config.js';
import { createMerchantNotificationsRouter, NotificationInbox, notifyHandler } from '../merchant/notifications.js';
import { sandboxPublicUrl } from '../public-url.js';
import { mountShopAstraPay } from './astrapay.js';
import { cartData, cartFromForm, catalog, cartTotal, goodsName, MAX_QUANTITY, shopWallets, walletByMitraCd } from './catalog.js';
import { GatewayUnavailableError, ShopNicepayClient, type NicepayReply } from './nicepay-client.js';
import { OrderBook } from './orders.js';
import { defaultShopForm, isFinalStatus, notFoundPage, resultPage, shopPage, type ShopForm } from './pages.js';

export interface ShopDeps {
  readonly config: SandboxConfig;
  readonly logger: Logger;
}

/** The result page stops refreshing by itself after this many refreshes (2 s apart). */
const MAX_REFRESHES = 60;

/**
 * The demo merchant: a coffee shop at `/shop` that pays through the gateway's public NICEPAY API only, as a
 * merchant's backend would (register server side, send the browser to the payment call, take notifications at
 * its `dbProcessUrl`, confirm results with an inquiry). AstraPay pays on an account link (`./astrapay.ts`).
 * Also serves the older `/sandbox/merchant/*` receiver.
 */
export function createShopRouter({ config, logger }: ShopDeps): Router {
  const { shop } = config;
  const wallets = shopWallets(config.wallets);
  const inbox = new NotificationInbox({ [shop.iMid]: shop.merchantKey });
  const orders = new OrderBook();
  const nicepay = new ShopNicepayClient(shop, config.gatewayBaseUrl, config.gatewayPublicUrl);
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const astraPay = mountShopAstraPay(router, {
    config,
    wallets,
    logger,
    inbox,
    orders,
    nicepay,
    notifyBaseUrl: (req) => shop.baseUrl ?? ownBaseUrl(config, req),
    sendPage,
    maxRefreshes: MAX_REFRESHES,
  });

  router.get('/shop', (_req, res) => {
    sendPage(res, 200, shopPage(wallets));
  });

  router.post('/shop/checkout', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cart = cartFromForm(body);
    const filled: ShopForm = {
      quantities: Object.fromEntries(catalog.map((i) => [i.id, cart.find((l) => l.item.id === i.id)?.quantity ?? 0])),
      mitraCd: typeof body.mitraCd === 'string' ? body.mitraCd : defaultShopForm.mitraCd,
      phone: typeof body.billingPhone === 'string' ? body.billingPhone.slice(0, 40) : '',
    };
    const wallet = walletByMitraCd(wallets, filled.mitraCd);
    const phone = filled.phone.trim().replace(/[\s.()-]/g, '');
    const invalid =
      cart.length === 0 ? `Choose at least one item (up to ${MAX_QUANTITY} of each).`
      : wallet === undefined ? 'Choose a wallet.'
      : !/^\+?\d{8,15}$/.test(phone) ? 'Enter a phone number of 8 to 15 digits, e.g. 081234567890.'
      : undefined;
    if (invalid !== undefined || wallet === undefined) {
      sendPage(res, 422, shopPage(wallets, filled, invalid));
      return;
    }
    const amt = cartTotal(cart);
    const order = orders.create({ cart, amt, wallet, phone });
    if (wallet.mitraCd === 'ASTR') {
      await astraPay.pay(order, req, res);
      return;
    }
    const callBackUrl = `${sandboxPublicUrl(config, req)}/shop/result`;
    let reg: NicepayReply;
    try {
      reg = await nicepay.register({
        mitraCd: wallet.mitraCd,
        amt,
        referenceNo: order.referenceNo,
        goodsNm: goodsName(cart),
        cartData: cartData(cart),
        billingNm: 'Kopi Senja Customer',
        billingPhone: phone,
        billingEmail: 'customer@example.com',
        dbProcessUrl: `${shop.baseUrl ?? ownBaseUrl(config, req)}/shop/notify`,
        callBackUrl,
        userIP: req.ip ?? '127.0.0.1',
      });
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      logger.warn({ err: error, referenceNo: order.referenceNo }, 'shop: registration failed');
      sendPage(res, 502, shopPage(wallets, filled, `${error.message}. Please try again in a moment.`));
      return;
    }
    if (reg.resultCd !== '0000' || !reg.tXid) {
      const why = reg.resultCd === '9012' ? `${wallet.name} is not available for this shop yet.` : 'The payment gateway refused the order.';
      sendPage(res, 200, shopPage(wallets, filled, `${why} (${reg.resultCd}: ${reg.resultMsg})`));
      return;
    }
    order.tXid = reg.tXid;
    logger.info({ referenceNo: order.referenceNo, tXid: reg.tXid, mitraCd: wallet.mitraCd, amt }, 'shop: order registered');
    res.redirect(303, nicepay.paymentUrl({ tXid: reg.tXid, referenceNo: order.referenceNo, amt }, callBackUrl));
  });

  router.post('/shop/notify', ...notifyHandler(inbox));

  router.get('/shop/result', async (req, res) => {
    const q = (name: string): string | undefined => {
      const v = req.query[name];
      return typeof v === 'string' && /^[A-Za-z0-9._-]{1,40}$/.test(v) ? v : undefined;
    };
    const tXid = q('tXid');
    const referenceNo = q('referenceNo');
    const known = referenceNo === undefined ? undefined : orders.find(referenceNo);
    const order = known?.tXid === tXid ? known : undefined;
    // The shop's own amount when it has the order; otherwise the link's, which the gateway checks (9001 if wrong).
    const amt = order?.amt ?? Number(q('amt') ?? NaN);
    if (tXid === undefined || referenceNo === undefined || !Number.isSafeInteger(amt) || amt <= 0) {
      sendPage(res, 404, notFoundPage('This link does not name an order of this shop.'));
      return;
    }
    let inquiry: NicepayReply | undefined;
    let problem: string | undefined;
    try {
      const reply = await nicepay.inquire({ tXid, referenceNo, amt });
      if (reply.resultCd === '0000') inquiry = reply;
      else problem = `${reply.resultMsg} (${reply.resultCd})`;
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      problem = error.message;
    }
    const notifications = inbox.list(tXid);
    // AstraPay: the account link the order was paid with, its notifications shown with the payment's.
    const mandateID = order?.mandateID;
    const refreshes = Number(req.query.n ?? 0) || 0;
    const settled = inquiry !== undefined && isFinalStatus(inquiry.status) && notifications.length > 0;
    const next = new URLSearchParams({ tXid, referenceNo, ...(order ? {} : { amt: String(amt) }), n: String(refreshes + 1) });
    sendPage(
      res,
      200,
      resultPage({
        tXid,
        referenceNo,
        cart: order?.cart,
        wallet: order?.wallet ?? walletByMitraCd(wallets, inquiry?.mitraCd ?? ''),
        inquiry,
        problem,
        notifications,
        linkNotifications: mandateID === undefined ? undefined : inbox.listByMandate(mandateID),
        unlinkMandateID: mandateID !== undefined && astraPay.links.byMandate(mandateID) !== undefined ? mandateID : undefined,
        refreshUrl: settled || refreshes >= MAX_REFRESHES ? undefined : `/shop/result?${next.toString()}`,
      }),
    );
  });

  router.use('/sandbox/merchant', createMerchantNotificationsRouter(inbox));
  return router;
}

function sendPage(res: Response, status: number, page: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('html').send(page);
}

/**
 * Where the gateway reaches the shop when SANDBOX_BASE_URL is not set: the sandbox's listen address (a wildcard
 * one as 127.0.0.1) and the port this request came in on (the real one even when started on port 0).
 */
function ownBaseUrl(config: SandboxConfig, req: Request): string {
  return sandboxPublicUrl({ ...config, publicUrl: undefined }, req);
}
