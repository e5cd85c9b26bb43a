import type { Request } from 'express';
import type { SandboxConfig } from './config.js';

/**
 * The base of the links the sandbox hands to browsers (a redirect wallet's checkout URL): `SANDBOX_PUBLIC_URL`
 * when set, else the sandbox's own base URL — its listen address (a wildcard one as 127.0.0.1) and the port
 * the request came in on, which is the real port even when the sandbox was started on port 0.
 */
export function sandboxPublicUrl(config: SandboxConfig, req: Request): string {
  if (config.publicUrl !== undefined) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' || config.host === '' ? '127.0.0.1' : config.host;
  const port = req.socket.localPort ?? config.port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
