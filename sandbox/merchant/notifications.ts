import express, { type Router } from 'express';

export interface ReceivedNotification {
  readonly at: string;
  readonly fields: Readonly<Record<string, string>>;
}

const KEEP = 500;

/**
 * A demo merchant's `dbProcessUrl`: acknowledges the gateway's notifications and keeps the latest few so a
 * person (and the demo shop) can see what the merchant was told. Customer fields are not kept.
 */
export function createMerchantNotificationsRouter(): Router {
  const received: ReceivedNotification[] = [];
  const router = express.Router();
  router.post('/notify', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== 'billingNm') fields[k] = v;
    received.push({ at: new Date().toISOString(), fields });
    if (received.length > KEEP) received.splice(0, received.length - KEEP);
    res.type('text').send('OK');
  });
  router.get('/notifications', (req, res) => {
    const tXid = typeof req.query.tXid === 'string' ? req.query.tXid : undefined;
    res.json({ notifications: received.filter((n) => tXid === undefined || n.fields.tXid === tXid) });
  });
  return router;
}
