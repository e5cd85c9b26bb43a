import { loadConfig } from '../domain/config.js';
import { createCodecServer } from './codec-server.js';
import { createLogger } from './logger.js';
import { EncryptionCodec } from './payload-codec.js';

/** `npm run codec`: the codec server for the Temporal Web UI, on 127.0.0.1:CODEC_PORT. */
// It needs the payload keys only: like the API, it reads no variable that signs a call to a wallet.
const config = loadConfig(process.env, { role: 'api' });
const logger = createLogger('codec', config.logLevel);
if (!config.payloadKeys) {
  logger.warn('PAYLOAD_KEYS is off: payloads are not encrypted, no codec server needed');
  process.exit(0);
}
const server = createCodecServer(new EncryptionCodec(config.payloadKeys), config.codec.uiOrigins).listen(config.codec.port, '127.0.0.1', () => {
  logger.info({ url: `http://127.0.0.1:${config.codec.port}` }, 'codec server listening');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3_000).unref();
  });
}
