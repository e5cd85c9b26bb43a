import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';

export interface ReceivedNotification {
  /** When the merchant received it (ISO 8601). */
  readonly at: string;
  /** Whether `merchantToken` = sha256(iMid + tXid + amt + merchantKey) with the key of that `iMid` (CONTRACT §5). */
  readonly tokenValid: boolean;
  readonly fields: Readonly<Record<string, string>>;
}

const KEEP = 500;

/**
 * What a merchant's `dbProcessUrl` was told: every notification, its token checked with the merchant's key,
 * the latest few hundred kept in memory. Customer names are not kept.
 */
export class NotificationInbox {
  readonly #received: ReceivedNotification[] = [];

  /** @param merchantKeys the key of every `iMid` this merchant receives notifications for. */
  constructor(private readonly merchantKeys: Readonly<Record<string, string>>) {}

  record(body: Readonly<Record<string, unknown>>): ReceivedNotification {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== 'billingNm') fields[k] = v;
    const notification = { at: new Date().toISOString(), tokenValid: this.tokenValid(fields), fields };
    this.#received.push(notification);
    if (this.#received.length > KEEP) this.#received.splice(0, this.#received.length - KEEP);
    return notification;
  }

  /** Oldest first; only those of `tXid` when given. */
  list(tXid?: string): readonly ReceivedNotification[] {
    return this.#received.filter((n) => tXid === undefined || n.fields.tXid === tXid);
  }

  private tokenValid(fields: Readonly<Record<string, string>>): boolean {
    const { iMid = '', tXid = '', amt = '', merchantToken = '' } = fields;
    const key = Object.hasOwn(this.merchantKeys, iMid) ? this.merchantKeys[iMid] : undefined;
    if (key === undefined) return false;
    const expected = Buffer.from(createHash('sha256').update(`${iMid}${tXid}${amt}${key}`, 'utf8').digest('hex'));
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
 * `POST /notify` and `GET /notifications?tXid=…` as JSON. The shop (`/shop/notify`) writes to the same inbox.
 */
export function createMerchantNotificationsRouter(inbox: NotificationInbox): Router {
  const router = express.Router();
  router.post('/notify', ...notifyHandler(inbox));
  router.get('/notifications', (req, res) => {
    const tXid = typeof req.query.tXid === 'string' ? req.query.tXid : undefined;
    res.json({ notifications: inbox.list(tXid) });
  });
  return router;
}
