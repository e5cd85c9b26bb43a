import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { PayloadKeys } from '../domain/config.js';

// A CommonJS package: its namespace object is the default export under ESM.
const { Payload: PayloadProto } = proto.temporal.api.common.v1;
const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type { PayloadKeys };

/**
 * AES-256-GCM over every payload (workflow inputs and results, activity arguments, signals, updates, queries,
 * memo): customer phone numbers, names, e-mails and account tokens never reach Temporal in the clear. Each payload
 * names its key, so keys rotate: add a new current key, keep the old ones until their workflows are gone.
 * Search attributes are not payloads the codec sees: they must never hold customer data.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {
    if (!keys.keys.has(keys.currentKeyId)) throw new ValueError(`no key ${keys.currentKeyId}`);
  }

  // Synchronous crypto in async functions: a failure is a rejected promise, as the SDK expects.
  // eslint-disable-next-line @typescript-eslint/require-await
  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.keys.get(this.keys.currentKeyId);
    if (!key) throw new ValueError('no current payload key');
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = PayloadProto.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(this.keys.currentKeyId) }, data: sealed };
    });
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCODING) return payload;
      const keyId = payload.metadata?.[KEY_ID] ? Buffer.from(payload.metadata[KEY_ID]).toString() : '';
      const key = this.keys.keys.get(keyId);
      if (!key) throw new ValueError(`payload sealed with unknown key "${keyId}"`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('sealed payload too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new ValueError(`payload does not open with key "${keyId}"`);
      }
      return PayloadProto.decode(plain);
    });
  }
}

/** The data converter of every client and worker of the gateway (none when encryption is off). */
export function gatewayDataConverter(keys: PayloadKeys | undefined): DataConverter {
  return keys ? { payloadCodecs: [new EncryptionCodec(keys)] } : {};
}
