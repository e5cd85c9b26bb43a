import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Request, type Response } from 'express';
import type { ApiDeps } from '../deps.js';
import { buildOpenApiDocument } from './document.js';

/** Swagger UI from npm (`swagger-ui-dist`), served from node_modules: the viewer works without internet. */
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const viewerAssets = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;

const viewerPage = (base: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ewallet-gateway API (NICEPAY v2 e-wallet)</title>
<link rel="icon" type="image/png" href="${base}/assets/favicon-32x32.png">
<link rel="stylesheet" href="${base}/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec-url="${base}/openapi.json"><noscript>The API document: <a href="${base}/openapi.json">${base}/openapi.json</a></noscript></div>
<script src="${base}/assets/swagger-ui-bundle.js"></script>
<script src="${base}/viewer.js"></script>
</body>
</html>
`;

/** Starts Swagger UI on the document; a file of its own, so the page needs no inline script. */
const viewerScript = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({ url: root.getAttribute('data-spec-url'), dom_id: '#swagger-ui', deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0, tryItOutEnabled: false });
});
`;

/**
 * `GET /docs/openapi.json`: the OpenAPI 3.1 document generated from the routes' zod schemas, its examples signed
 * for the sandbox merchant at the time of the request. `GET /docs`: Swagger UI on it.
 */
export function openapiRouter(deps: Pick<ApiDeps, 'config' | 'wallets'>): express.Router {
  const router = express.Router();
  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.set('cache-control', 'no-store').json(buildOpenApiDocument({ serverUrl: deps.config.api.publicBaseUrl, linkIdSecret: deps.config.accountLinks.idSecret, wallets: deps.wallets.all() }));
  });
  router.get('/viewer.js', (_req: Request, res: Response) => {
    res.type('text/javascript').send(viewerScript);
  });
  for (const asset of viewerAssets) {
    router.get(`/assets/${asset}`, (_req: Request, res: Response) => {
      res.sendFile(join(swaggerUiDir, asset), { maxAge: '1h' });
    });
  }
  router.get('/', (req: Request, res: Response) => {
    res.type('html').send(viewerPage(req.baseUrl));
  });
  return router;
}
