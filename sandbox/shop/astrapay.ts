import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { SandboxConfig } from '../config.js';
import type { NotificationInbox } from '../merchant/notifications.js';
import { canonicalPhone } from '../phone.js';
import { sandboxPublicUrl } from '../public-url.js';
import { AstraPayLinkBook, newLinkReferenceNo, type ShopLink } from './astrapay-links.js';
import { catalog, goodsName, type ShopWallet } from './catalog.js';
import { GatewayUnavailableError, type NicepayReply, type ShopNicepayClient } from './nicepay-client.js';
import type { Order, OrderBook } from './orders.js';
import { linkPage, notFoundPage, shopPage, type ShopForm } from './pages.js';

export interface ShopAstraPayDeps {
  readonly config: SandboxConfig;
  /** The wallets the shop page offers. */
  readonly wallets: readonly ShopWallet[];
  readonly logger: Logger;
  readonly inbox: NotificationInbox;
  readonly orders: OrderBook;
  readonly nicepay: ShopNicepayClient;
  /** Where the gateway reaches the shop (the base of `dbProcessUrl`). */
  readonly notifyBaseUrl: (req: Request) => string;
  readonly sendPage: (res: Response, status: number, page: string) => void;
  /** The link page stops refreshing by itself after this many refreshes (2 s apart). */
  readonly maxRefreshes: number;
}

export interface ShopAstraPay {
  readonly links: AstraPayLinkBook;
  /** Checkout with AstraPay: pay on the phone's ACTIVE link, or link the account first (the order waits). */
  pay(order: Order, req: Request, res: Response): Promise<void>;
}

/** Link states after which the link is over: the shop forgets it and links again on the next payment. */
const OVER = new Set(['FAILED', 'EXPIRED', 'DISABLED']);
/** What the gateway answers for a link it does not know or that cannot pay (CONTRACT §4). */
const LINK_GONE = new Set(['8004', '9502']);
const ID = /^[A-Za-z0-9._-]{1,64}$/;

const BILLING = { billingNm: 'Kopi Senja Customer', billingEmail: 'customer@example.com' } as const;

/**
 * AstraPay in the demo shop, as a merchant integrates NICEPAY's account link (CONTRACT §4), server side only:
 * `linkEnable` (JSON) then 303 to AstraPay's registration page; the registration returns to
 * `/shop/astrapay/linked` (confirmed with `linkInquiry`), where the waiting order is paid with `linkInitiate`
 * (303 to AstraPay's PIN page, which returns to `/shop/result`). A phone with an ACTIVE link pays at once.
 * `linkDisable` unlinks. The shop remembers one `mandateID` per phone, in memory.
 */
export function mountShopAstraPay(router: Router, deps: ShopAstraPayDeps): ShopAstraPay {
  const { config, logger, inbox, orders, nicepay, sendPage } = deps;
  const links = new AstraPayLinkBook();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const publicUrl = (req: Request): string => sandboxPublicUrl(config, req);

  /** The shop page again, with the order's items, AstraPay and the phone, and what went wrong. */
  function refuse(res: Response, order: Order, status: number, message: string): void {
    const filled: ShopForm = {
      quantities: Object.fromEntries(catalog.map((i) => [i.id, order.cart.find((l) => l.item.id === i.id)?.quantity ?? 0])),
      mitraCd: order.wallet.mitraCd,
      phone: order.phone,
    };
    sendPage(res, status, shopPage(deps.wallets, filled, message));
  }

  /** `linkInitiate` on an ACTIVE link: 303 to AstraPay's verification page; `gone` when the link cannot pay. */
  async function initiate(order: Order, link: ShopLink, req: Request, res: Response): Promise<'done' | 'gone'> {
    const reply = await nicepay.linkInitiate({
      mandateID: link.mandateID,
      amt: order.amt,
      goodsNm: goodsName(order.cart),
      referenceNo: order.referenceNo,
      ...BILLING,
      billingPhone: order.phone,
      callBackUrl: `${publicUrl(req)}/shop/result`,
      dbProcessUrl: `${deps.notifyBaseUrl(req)}/shop/notify`,
      userIP: req.ip ?? '127.0.0.1',
    });
    if (LINK_GONE.has(reply.resultCd)) {
      logger.info({ mandateID: link.mandateID, resultCd: reply.resultCd }, 'shop: AstraPay link cannot pay, linking again');
      links.forget(link.mandateID);
      return 'gone';
    }
    if (reply.resultCd !== '0000' || !reply.tXid || !isWebUrl(reply.redirectUrl)) {
      refuse(res, order, 200, `The payment gateway refused the AstraPay payment. (${reply.resultCd}: ${reply.resultMsg})`);
      return 'done';
    }
    order.tXid = reply.tXid;
    order.mandateID = link.mandateID;
    logger.info({ referenceNo: order.referenceNo, tXid: reply.tXid, mandateID: link.mandateID, amt: order.amt }, 'shop: AstraPay payment initiated');
    res.redirect(303, reply.redirectUrl);
    return 'done';
  }

  async function pay(order: Order, req: Request, res: Response): Promise<void> {
    const phone = canonicalPhone(order.phone);
    try {
      // A link the shop knows: confirm it with the gateway, pay on it when ACTIVE.
      const known = links.forPhone(phone);
      if (known !== undefined) {
        const status = await nicepay.linkInquiry(known.mandateID);
        if (status.resultCd === '0000' && status.linkStatus === 'ACTIVE') {
          if ((await initiate(order, known, req, res)) === 'done') return;
        } else if (status.resultCd === '8004' || (status.resultCd === '0000' && OVER.has(status.linkStatus ?? ''))) {
          links.forget(known.mandateID);
        } else if (status.resultCd !== '0000') {
          refuse(res, order, 200, `The payment gateway could not check your AstraPay link. (${status.resultCd}: ${status.resultMsg})`);
          return;
        }
        // PENDING: linkEnable answers with the same pending link and its registration page.
      }
      const referenceNo = newLinkReferenceNo();
      const reply = await nicepay.linkEnable({
        referenceNo,
        ...BILLING,
        billingPhone: order.phone,
        dbProcessUrl: `${deps.notifyBaseUrl(req)}/shop/notify`,
        callBackUrl: `${publicUrl(req)}/shop/astrapay/linked`,
        userIP: req.ip ?? '127.0.0.1',
      });
      if (reply.resultCd !== '0000' || !reply.mandateID || !ID.test(reply.mandateID)) {
        const why = reply.resultCd === '9012' ? 'AstraPay is not available for this shop yet.' : 'The payment gateway refused to link AstraPay.';
        refuse(res, order, 200, `${why} (${reply.resultCd}: ${reply.resultMsg})`);
        return;
      }
      const link = links.remember(phone, reply.mandateID, reply.referenceNo ?? referenceNo);
      logger.info({ referenceNo: order.referenceNo, mandateID: link.mandateID, linkStatus: reply.linkStatus }, 'shop: AstraPay link requested');
      if (reply.linkStatus === 'ACTIVE') {
        // Linked already (the shop had forgotten it): pay at once.
        if ((await initiate(order, link, req, res)) === 'gone') refuse(res, order, 200, 'Your AstraPay link cannot pay right now. Please try again.');
        return;
      }
      if (reply.linkStatus === 'PENDING' && isWebUrl(reply.redirectUrl)) {
        link.pendingOrder = order.referenceNo;
        res.redirect(303, reply.redirectUrl);
        return;
      }
      refuse(res, order, 200, `The payment gateway did not start the AstraPay link (status ${reply.linkStatus ?? 'unknown'}).`);
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      logger.warn({ err: error, referenceNo: order.referenceNo }, 'shop: AstraPay call failed');
      refuse(res, order, 502, `${error.message}. Please try again in a moment.`);
    }
  }

  /** The link's page: its status from `linkInquiry`, its notifications, the waiting order, unlink. */
  async function showLink(req: Request, res: Response, mandateID: string, problem?: string): Promise<void> {
    let inquiry: NicepayReply | undefined;
    let why = problem;
    try {
      const reply = await nicepay.linkInquiry(mandateID);
      if (reply.resultCd === '0000') inquiry = reply;
      else why ??= `${reply.resultMsg} (${reply.resultCd})`;
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      why ??= error.message;
    }
    const linkStatus = inquiry?.linkStatus;
    const link = links.byMandate(mandateID);
    if (link !== undefined && OVER.has(linkStatus ?? '')) links.forget(mandateID);
    const waiting = link?.pendingOrder === undefined ? undefined : orders.find(link.pendingOrder);
    const started = waiting?.tXid !== undefined ? waiting : undefined;
    const notifications = inbox.listByMandate(mandateID);
    const refreshes = Number(req.query.n ?? 0) || 0;
    // Settled: the gateway answered with a final state and its notification is in (DISABLED is not waited for).
    const settled = inquiry !== undefined && (linkStatus === 'DISABLED' || (linkStatus !== 'PENDING' && notifications.some((n) => n.fields.linkStatus === linkStatus)));
    const next = new URLSearchParams({ mandateID, n: String(refreshes + 1) });
    sendPage(
      res,
      200,
      linkPage({
        mandateID,
        inquiry,
        problem: why,
        notifications,
        pendingOrder: waiting !== undefined && started === undefined ? waiting : undefined,
        startedOrderUrl: started?.tXid !== undefined ? `/shop/result?${new URLSearchParams({ tXid: started.tXid, referenceNo: started.referenceNo }).toString()}` : undefined,
        canUnlink: links.byMandate(mandateID) !== undefined,
        refreshUrl: settled || problem !== undefined || refreshes >= deps.maxRefreshes ? undefined : `/shop/astrapay/link?${next.toString()}`,
      }),
    );
  }

  // The callBackUrl of linkEnable: `?referenceNo&mandateID&linkStatus&resultCd&resultMsg`. Only mandateID is
  // used; the status shown is the gateway's answer to linkInquiry, not the link's query.
  for (const path of ['/shop/astrapay/linked', '/shop/astrapay/link']) {
    router.get(path, async (req, res) => {
      const mandateID = typeof req.query.mandateID === 'string' && ID.test(req.query.mandateID) ? req.query.mandateID : undefined;
      if (mandateID === undefined) {
        sendPage(res, 404, notFoundPage('This link does not name an AstraPay account link of this shop.'));
        return;
      }
      await showLink(req, res, mandateID);
    });
  }

  // "Pay Rp … with AstraPay" on the link page (and "Link AstraPay again").
  router.post('/shop/astrapay/pay', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const order = typeof body.order === 'string' ? orders.find(body.order) : undefined;
    if (order === undefined || order.wallet.mitraCd !== 'ASTR') {
      sendPage(res, 404, notFoundPage('This order is not known to the shop (any more). Please order again.'));
      return;
    }
    if (order.tXid !== undefined) {
      // Its payment started already (a second press, the back button): its result page.
      res.redirect(303, `/shop/result?${new URLSearchParams({ tXid: order.tXid, referenceNo: order.referenceNo }).toString()}`);
      return;
    }
    await pay(order, req, res);
  });

  router.post('/shop/astrapay/unlink', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mandateID = typeof body.mandateID === 'string' && ID.test(body.mandateID) ? body.mandateID : undefined;
    if (mandateID === undefined || links.byMandate(mandateID) === undefined) {
      sendPage(res, 404, notFoundPage('The shop holds no such AstraPay link.'));
      return;
    }
    let problem: string | undefined;
    try {
      const reply = await nicepay.linkDisable(mandateID);
      if (reply.resultCd === '0000' || reply.resultCd === '8004') links.forget(mandateID);
      if (reply.resultCd !== '0000') problem = `the unlink was refused: ${reply.resultMsg} (${reply.resultCd})`;
      logger.info({ mandateID, resultCd: reply.resultCd, linkStatus: reply.linkStatus }, 'shop: AstraPay unlink');
    } catch (error) {
      if (!(error instanceof GatewayUnavailableError)) throw error;
      problem = error.message;
    }
    if (problem === undefined) res.redirect(303, `/shop/astrapay/link?${new URLSearchParams({ mandateID }).toString()}`);
    else await showLink(req, res, mandateID, problem);
  });

  return { links, pay };
}

/** A redirect target from the gateway: an absolute http(s) URL. */
function isWebUrl(url: string | undefined): url is string {
  if (url === undefined) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
