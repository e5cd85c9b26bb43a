import { pino, type Logger } from 'pino';

/**
 * Customer data never reaches the logs (DEVELOPERS.md): these keys are censored wherever they appear,
 * at the top level or one level down (request bodies, workflow views).
 */
const customerFields = ['billingPhone', 'billingNm', 'billingEmail', 'phone', 'merchantToken', 'merchantKey', 'accountToken', 'billingAddr', 'deliveryPhone', 'deliveryNm', 'deliveryAddr'];

export const redactPaths = [...customerFields, ...customerFields.map((f) => `*.${f}`)];

export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: redactPaths, censor: '[redacted]' } });
}

export type { Logger };
