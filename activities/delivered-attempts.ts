import { BoundedMap } from '../platform/bounded-map.js';
import type { DeliveryReport } from './notify-merchant.js';

/**
 * The notification attempts this worker delivered lately, by the attempt's identity (workflow run + activity ID).
 * A local activity's result reaches history only with its workflow task; when the server refuses that task (a
 * callback arrived while the task closed the payment), the task runs again and re-runs the same attempt. Answered
 * from here, the merchant is not told twice. Another worker re-running it would send again, which CONTRACT §5
 * allows. An attempt is re-run within seconds, so the oldest can go.
 */
export class DeliveredAttempts extends BoundedMap<string, DeliveryReport> {
  constructor(capacity = 10_000) {
    super(capacity);
  }
}
