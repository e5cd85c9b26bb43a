import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * JSON logs. Code logs `phoneMasked`, never a phone; the redaction below is a second line of defence
 * for a `phone` field that slips into a log call.
 */
export function createSandboxLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'sandbox' },
    redact: { paths: ['phone', '*.phone', 'body.phone', 'request.phone'], censor: '[masked]' },
  });
}
