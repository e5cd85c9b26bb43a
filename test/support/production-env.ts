import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sandboxSecrets, type SecretVariable } from '../../domain/sandbox-secrets.js';
import { defaultWallets } from '../../wallets/registry.js';

const b64 = (n: number): string => randomBytes(n).toString('base64');
const ownKeys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

/** What an operator following the README sets for production: a fresh value of its own for every secret and key. */
export function productionSecrets(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of Object.keys(sandboxSecrets) as SecretVariable[]) {
    env[name] = name.endsWith('_PRIVATE_KEY') ? ownKeys.privateKey : name.endsWith('_PUBLIC_KEY') ? ownKeys.publicKey : `own-${name.toLowerCase()}-${b64(24)}`;
  }
  env.ACCOUNT_TOKEN_KEY = b64(32);
  env.PAYLOAD_KEYS = `prod-1:${b64(32)}`;
  for (const w of defaultWallets) env[`${w.configPrefix}_BASE_URL`] = `https://${w.configPrefix.toLowerCase()}.wallet.example`;
  env.PUBLIC_BASE_URL = 'https://pay.merchant-gateway.example';
  env.MERCHANTS_JSON = JSON.stringify([{ iMid: 'SHOP000001', merchantKey: b64(48), name: 'Toko Satu' }]);
  return env;
}

/** A complete production environment. */
export function productionEnv(): Record<string, string> {
  return { GATEWAY_MODE: 'production', ...productionSecrets() };
}
