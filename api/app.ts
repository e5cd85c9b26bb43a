import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ResultCode } from '../domain/result-codes.js';
import { walletCallbackRoute } from './callbacks/wallet-callback.js';
import type { ApiDeps } from './deps.js';
import { answeredClientError, nicepayErrorHandler } from './errors.js';
import { shedLoad } from './load-shedding.js';
import { metricsMiddleware, rememberReplyIds } from './metrics-middleware.js';
import { requestLog } from './request-log.js';
import { readBodyWithin } from './read-body.js';
import { cancelRoute } from './routes/cancel.js';
import { openapiRouter } from './openapi/router.js';
import { healthRoute } from './routes/health.js';
import { inquiryRoute } from './routes/inquiry.js';
import { linkDisableRoute, linkEnableRoute, linkInitiateRoute, linkInquiryRoute } from './routes/link.js';
import { linkReturnRoute } from './routes/link-return.js';
import { paymentRoute } from './routes/payment.js';
import { paymentWaitPage, paymentWaitState, walletReturn } from './routes/payment-wait.js';
import { registrationRoute } from './routes/registration.js';

/** Bodies are small forms and JSON; anything larger is refused before it is read. */
const BODY_LIMIT = '64kb';

/** NICEPAY's clients send `Application/JSON`: match content types case-insensitively (CONTRACT §2). */
const isJson = (req: IncomingMessage) => /^application\/(.+\+)?json\b/i.test(req.headers['content-type'] ?? '');
const isForm = (req: IncomingMessage) => /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');

/** The Express app, apart from its listener (server.ts), so tests drive it in-process. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger, { quietPath: '/health' }));
  app.use(rememberReplyIds);
  if (deps.metrics) app.use(metricsMiddleware(deps.metrics));
  // `/metrics` and `/ops` are served by the operations listener only (ops/app.ts, CONTRACT §1): here they are 404.

  app.get('/health', healthRoute(deps));

  // Bodies are read before a request is admitted (read-body.ts): a slow sender waits alone, not in a shared slot.
  const bodyTimeoutMs = deps.config.api.bodyTimeoutMs;
  const bodyLate = `request body not received within ${bodyTimeoutMs / 1000} s`;

  // Wallet callbacks: the raw bytes are what the wallet signed.
  const callbacks = express.Router();
  // On the route, not the router: a malformed path is refused (400) before any body is read.
  const callbackBody = readBodyWithin(bodyTimeoutMs, [express.raw({ type: () => true, limit: BODY_LIMIT })], (res) => void res.status(408).json({ error: bodyLate }));
  // Wallets retry a 503 (CONTRACT §5): a burst of callbacks is taken at the pace the engine can.
  const callbackAdmission = shedLoad((res) => void res.status(503).set('Retry-After', '1').json({ error: 'busy, retry later' }), { limit: deps.config.api.maxInFlight });
  callbacks.post('/:provider', callbackBody, callbackAdmission, walletCallbackRoute(deps));
  callbacks.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // Too large, undecodable, a malformed path: retrying the same bytes cannot help.
    if (answeredClientError(err, res)) return;
    // Never acknowledge a callback we could not hand to its workflow: the wallet must retry it.
    deps.logger.error({ err }, 'wallet callback not delivered');
    res.status(503).json({ error: 'temporarily unavailable, retry' });
  });
  app.use('/callbacks', callbacks);

  const nicepay = express.Router();
  nicepay.use(
    readBodyWithin(
      bodyTimeoutMs,
      [express.json({ type: isJson, limit: BODY_LIMIT, strict: true }), express.urlencoded({ type: isForm, limit: BODY_LIMIT, extended: false, parameterLimit: 100 })],
      (res) => void res.status(200).json({ resultCd: ResultCode.Malformed, resultMsg: `Malformed request: ${bodyLate}` }),
    ),
  );
  nicepay.use(requireKnownBodyType);
  // Before the in-flight limit: a customer's long-poll holds a connection, never a slot a merchant's call needs.
  nicepay.get('/direct/v2/payment/wait/:tXid/state', paymentWaitState(deps));
  nicepay.use(shedLoad((res) => void res.status(200).json({ resultCd: ResultCode.BusyRetry, resultMsg: 'Gateway busy, nothing was done, retry later' }), { limit: deps.config.api.maxInFlight }));
  nicepay.post('/direct/v2/registration', registrationRoute(deps));
  nicepay.get('/direct/v2/payment', paymentRoute(deps));
  nicepay.post('/direct/v2/payment', paymentRoute(deps));
  nicepay.post('/direct/v2/inquiry', inquiryRoute(deps));
  nicepay.post('/direct/v2/cancel', cancelRoute(deps));
  nicepay.get('/direct/v2/payment/wait/:tXid', paymentWaitPage(deps));
  nicepay.get('/direct/v2/payment/return/:tXid', walletReturn(deps));
  nicepay.post('/api/linkEnable.do', linkEnableRoute(deps));
  nicepay.post('/api/linkInquiry.do', linkInquiryRoute(deps));
  nicepay.post('/api/linkDisable.do', linkDisableRoute(deps));
  nicepay.post('/api/linkInitiate.do', linkInitiateRoute(deps));
  nicepay.get('/api/link/return/:iMid/:mandateID', linkReturnRoute(deps));
  nicepay.use((_req: Request, res: Response) => {
    res.status(404).json({ resultCd: ResultCode.Malformed, resultMsg: 'Unknown NICEPAY path' });
  });
  nicepay.use(nicepayErrorHandler(deps.logger));
  app.use('/nicepay', nicepay);

  app.use('/docs', openapiRouter(deps));

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}

/** A POST whose body is neither JSON nor a form cannot be read: say so rather than report every field missing. */
function requireKnownBodyType(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (req.method === 'POST' && hasBody && !isJson(req) && !isForm(req)) {
    res.status(200).json({ resultCd: ResultCode.Malformed, resultMsg: 'Malformed request: Content-Type must be application/json or application/x-www-form-urlencoded' });
    return;
  }
  next();
}
