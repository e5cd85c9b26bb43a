import { createPrivateKey } from 'node:crypto';
import { randomDigits } from '../checkout/wallet.js';
import { signAsymmetric } from './signature.js';
import { jakartaTime } from './time.js';

/**
 * The headers of a SNAP notify (wallet → merchant): SHA256withRSA by the wallet's key over the merchant's own path
 * (the path of the URL it is sent to), as DANA's and the standard's notifies are signed.
 */
export function snapNotifySigner(privateKeyPem: string, partnerId: string, { milliseconds = false } = {}): (rawBody: string, timestampMs: number, url: string) => Record<string, string> {
  const key = createPrivateKey(privateKeyPem);
  return (rawBody, timestampMs, url) => {
    const timestamp = jakartaTime(timestampMs, milliseconds);
    return {
      'X-TIMESTAMP': timestamp,
      'X-SIGNATURE': signAsymmetric(key, 'POST', new URL(url).pathname, rawBody, timestamp),
      'X-PARTNER-ID': partnerId,
      'X-EXTERNAL-ID': randomDigits(32),
      'CHANNEL-ID': '95221',
    };
  };
}
