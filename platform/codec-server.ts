import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

/** Temporal's remote codec protocol: payloads as JSON with base64 metadata values and data. */
function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/**
 * The codec server: lets the Temporal Web UI (and `temporal workflow show --codec-endpoint`) show the decrypted
 * payloads to an operator who runs it. It holds the payload keys, so it listens on loopback only and answers only
 * the Web UI's origins (CORS); it is not part of the public API.
 */
export function createCodecServer(codec: PayloadCodec, allowedOrigins: readonly string[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (origin && allowedOrigins.includes(origin)) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.set('Access-Control-Allow-Credentials', 'true');
      res.set('Vary', 'Origin');
    } else if (origin) {
      res.status(403).json({ error: 'origin not allowed' });
      return;
    }
    if (req.method === 'OPTIONS') {
      res.sendStatus(204);
      return;
    }
    next();
  });
  app.use(express.json({ limit: '4mb' }));
  for (const op of ['encode', 'decode'] as const) {
    app.post(`/${op}`, async (req: Request, res: Response) => {
      const body = req.body as { payloads?: unknown };
      if (!Array.isArray(body.payloads)) {
        res.status(400).json({ error: 'body must be {"payloads": [...]}' });
        return;
      }
      try {
        const payloads = (body.payloads as JsonPayload[]).map(fromJson);
        const out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
        res.json({ payloads: out.map(toJson) });
      } catch (err) {
        res.status(400).json({ error: err instanceof Error ? err.message : 'cannot decode' });
      }
    });
  }
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}
