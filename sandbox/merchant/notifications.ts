import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';

/** A payment's notification (keyed by `tXid`) or an AstraPay account link's (keyed by `mandateID`), CONTRACT §5. */
export type NotificationKind = 'payment' | 'link';

export interface ReceivedNotification {
  /** When the merchant received it (ISO 8601). */
  readonly at: string;
  /**
   * `payment` when it names a `tXid`; `link` when it names a `mandateID` and a `linkStatus` and no `tXid`
   * (an account link's notification).
   */
  readonly kind: NotificationKind;
  /**
   * Whether `merchantToken` matches with the key of that `iMid` (CONTRACT §5): a payment's is
   * sha256(iMid + tXid + amt + merchantKey), a link's sha256(iMid + mandateID + linkStatus + merchantKey).
   */
  readonly tokenValid: boolean;
  readonly fields: Readonly<Record<string, string>>;
}

const KEEP = 500;

/** Which kind of notification these fields are: a link's carries `mandateID` + `linkStatus` and no `tXid`. */
export function notificationKind(fields: Readonly<Record<string, string>>): NotificationKind {
  return fields.tXid === undefined && fields.mandateID !== undefined && fields.linkStatus !== undefined ? 'link' : 'payment';
}

/**
 * What a merchant's `dbProcessUrl` was told: every notification (payments and account links), its token checked
 * with the merchant's key, the latest few hundred kept in memory. Customer names are not kept.
 */
export class NotificationInbox {
  readonly #received: ReceivedNotification[] = [];

  /** @param merchantKeys the key of every `iMid` this merchant receives notifications for. */
  constructor(private readonly merchantKeys: Readonly<Record<string, string>>) {}

  record(body: Readonly<Record<string, unknown>>): ReceivedNotification {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== 'billingNm') fields[k] = v;
    const kind = notificationKind(fields);
    const notification: ReceivedNotification = { at: new Date().toISOString(), kind, tokenValid: this.tokenValid(kind, fields), fields };
    this.#received.push(notification);
    if (this.#received.length > KEEP) this.#received.splice(0, this.#received.length - KEEP);
    return notification;
  }

  /** Oldest first: every notification, or only the payment notifications of `tXid` when given. */
  list(tXid?: string): readonly ReceivedNotification[] {
    return this.#received.filter((n) => tXid === undefined || (n.kind === 'payment' && n.fields.tXid === tXid));
  }

  /** Oldest first: the account link notifications of `mandateID`. */
  listByMandate(mandateID: string): readonly ReceivedNotification[] {
    return this.#received.filter((n) => n.kind === 'link' && n.fields.mandateID === mandateID);
  }

  private tokenValid(kind: NotificationKind, fields: Readonly<Record<string, string>>): boolean {
    const { iMid = '', merchantToken = '' } = fields;
    const key = Object.hasOwn(this.merchantKeys, iMid) ? this.merchantKeys[iMid] : undefined;
    if (key === undefined) return false;
    const signed = kind === 'link' ? `${iMid}${fields.mandateID ?? ''}${fields.linkStatus ?? ''}${key}` : `${iMid}${fields.tXid ?? ''}${fields.amt ?? ''}${key}`;
    const expected = Buffer.from(createHash('sha256').update(signed, 'utf8').digest('hex'));
    const given = Buffer.from(merchantToken.toLowerCase());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** The `dbProcessUrl` handler: records the form-encoded notification and acknowledges it with `OK` (any 2xx does). */
export function notifyHandler(inbox: NotificationInbox): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: '16kb' }),
    (req, res) => {
      inbox.record((req.body ?? {}) as Record<string, unknown>);
      res.type('text').send('OK');
    },
  ];
}

/**
 * The demo merchant's receiver under `/sandbox/merchant` (kept for `npm run demo:ovo` and people poking at it):
 * `POST /notify` and, as JSON, `GET /notifications` (all, payments and account links, each with its `kind`),
 * `?tXid=…` (a payment's) or `?mandateID=…` (an account link's). The shop (`/shop/notify`) writes to the same inbox.
 */
export function createMerchantNotificationsRouter(inbox: NotificationInbox): Router {
  const router = express.Router();
  router.post('/notify', ...notifyHandler(inbox));
  router.get('/notifications', (req, res) => {
    const tXid = typeof req.query.tXid === 'string' ? req.query.tXid : undefined;
    const mandateID = typeof req.query.mandateID === 'string' ? req.query.mandateID : undefined;
    res.json({ notifications: mandateID !== undefined && tXid === undefined ? inbox.listByMandate(mandateID) : inbox.list(tXid) });
  });
  return router;
}
