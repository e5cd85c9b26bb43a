import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { CallbackDispatcher, type CallbackState } from '../callback-dispatcher.js';
import type { FaultRegistry } from '../faults.js';
import type { TimerSet } from '../timers.js';
import type { OvoCallbackBody, OvoPayment } from './schemas.js';

/**
 * OVO's callback signature: lowercase hex HMAC-SHA256, keyed with OVO_CALLBACK_SECRET, of
 * `${timestamp}.${rawBody}`, sent as `X-Callback-Signature` with `X-Callback-Timestamp` (unix ms).
 */
export function signOvoCallback(input: { timestamp: number | string; rawBody: string | Buffer; secret: string }): string {
  return createHmac('sha256', input.secret).update(`${input.timestamp}.`).update(input.rawBody).digest('hex');
}

export function ovoCallbackBody(
  payment: OvoPayment,
  override: { status?: OvoCallbackBody['status']; occurredAt?: string } = {},
): OvoCallbackBody {
  const status = override.status ?? payment.status;
  if (status !== 'SUCCESS' && status !== 'DECLINED' && status !== 'INSUFFICIENT_BALANCE' && status !== 'PENDING') {
    throw new Error(`no OVO callback for status ${status}`);
  }
  return {
    event: 'payment.updated',
    paymentId: payment.paymentId,
    merchantInvoice: payment.merchantInvoice,
    amount: payment.amount,
    status,
    ...(status !== 'PENDING' && payment.reason !== undefined ? { reason: payment.reason } : {}),
    occurredAt: override.occurredAt ?? payment.updatedAt,
  };
}

export function createOvoCallbackDispatcher(deps: {
  gatewayBaseUrl: string;
  callbackSecret: string;
  timers: TimerSet;
  faults: FaultRegistry;
  logger: Logger;
  onChange: () => void;
  initial?: CallbackState;
}): CallbackDispatcher {
  return new CallbackDispatcher({
    wallet: 'OVO',
    url: `${deps.gatewayBaseUrl}/callbacks/ovo`,
    sign: (rawBody, timestamp) => ({
      'X-Callback-Timestamp': String(timestamp),
      'X-Callback-Signature': signOvoCallback({ timestamp, rawBody, secret: deps.callbackSecret }),
    }),
    timers: deps.timers,
    faults: () => deps.faults.for('OVO'),
    logger: deps.logger,
    onChange: deps.onChange,
    ...(deps.initial !== undefined ? { initial: deps.initial } : {}),
  });
}
