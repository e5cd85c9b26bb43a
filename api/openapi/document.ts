import { z } from 'zod';
import { mandateId } from '../../domain/account-link.js';
import { linkKey } from '../../domain/link-key.js';
import { sandboxMerchant } from '../../domain/merchants.js';
import type { WalletDescriptor } from '../../wallets/descriptor.js';
import { defaultWallets } from '../../wallets/registry.js';
import { tokens } from '../../domain/merchant-token.js';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { defaultResultMessage, ResultCode } from '../../domain/result-codes.js';
import { newTxId } from '../../domain/tx-id.js';
import { CancelReply, CancelRequestFields } from '../routes/cancel.schema.js';
import { InquiryReply, InquiryRequest } from '../routes/inquiry.schema.js';
import { LinkEnableReply, LinkEnableRequest, LinkInitiateReply, LinkInitiateRequest, LinkStatusReply, LinkStatusRequest } from '../routes/link.schema.js';
import { PaymentReply, PaymentRequest } from '../routes/payment.schema.js';
import { KeptField, keptFields, RegistrationReply, RegistrationRequest } from '../routes/registration.schema.js';
import { replyJsonSchema, requestJsonSchema, type JsonSchema } from './json-schema.js';

/** `GET /health` (CONTRACT §1): 200 when Temporal answers and a worker polls, else 503. */
export const HealthReply = z.object({
  status: z.enum(['ok', 'unavailable']),
  temporal: z.enum(['ok', 'unreachable']),
  workers: z.number().int().min(0),
});

/** Every refusal: HTTP 200, `resultCd` other than 0000 and a `resultMsg` naming the field (CONTRACT §2). */
export const ErrorReply = z.object({ resultCd: z.string(), resultMsg: z.string() });

/** The merchant notification of a payment (CONTRACT §5), a form POST to `dbProcessUrl`. */
export const PaymentNotificationForm = z.object({
  iMid: z.string(),
  tXid: z.string(),
  referenceNo: z.string(),
  payMethod: z.string(),
  mitraCd: z.string(),
  amt: z.string(),
  currency: z.string(),
  goodsNm: z.string(),
  billingNm: z.string(),
  status: z.string(),
  transDt: z.string(),
  transTm: z.string(),
  cancelAmt: z.string(),
  merchantToken: z.string(),
});

/** The merchant notification of an AstraPay account link (CONTRACT §5). */
export const LinkNotificationForm = z.object({
  iMid: z.string(),
  referenceNo: z.string(),
  mandateID: z.string(),
  mitraCd: z.literal('ASTR'),
  linkStatus: z.enum(['ACTIVE', 'FAILED', 'EXPIRED', 'DISABLED']),
  merchantToken: z.string(),
});

/** Registration also accepts and keeps NICEPAY's other fields (CONTRACT §3). */
/** Registration as documented: NICEPAY's other fields kept, and `mitraCd` one of the registry's wallets that pay without a link. */
function registrationRequestDocumented(wallets: readonly WalletDescriptor[]) {
  const codes = wallets.filter((w) => !w.accountLinks).map((w) => w.mitraCd);
  return RegistrationRequest.extend({
    ...Object.fromEntries(keptFields.map((f) => [f, KeptField])),
    mitraCd: codes.length > 0 ? z.enum(codes as [string, ...string[]]) : z.string(),
  });
}

export type Example = Record<string, string | number>;

/** One NICEPAY call: its route, schemas, token formula and a signed example for the sandbox merchant. */
export interface NicepayCall {
  readonly operationId: string;
  readonly method: 'get' | 'post';
  /** The OpenAPI path, `/nicepay/…`. */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly tag: 'Payments' | 'AstraPay account links';
  readonly requestName: string;
  readonly request: z.ZodType;
  readonly replyName: string;
  readonly reply: z.ZodType;
  /** The merchantToken formula: lowercase hex SHA-256 of these parts. */
  readonly token: string;
  readonly example: Example;
  /** A successful reply to the example (illustrative: times and links differ). */
  readonly replyExample: Example;
  /** A browser may call it too: it is redirected (302) or shown an HTML page. */
  readonly browser?: string;
}

export interface DocumentOptions {
  /** The gateway's public base URL (`servers`). */
  readonly serverUrl?: string;
  /** The `LINK_ID_SECRET`, so the link examples name the sandbox customer's real mandateID. */
  readonly linkIdSecret?: string;
  /** When the examples are signed (their `timeStamp`). */
  readonly now?: Date;
  /** The wallets the gateway serves (its registry): the `mitraCd` values and the callback paths documented. */
  readonly wallets?: readonly WalletDescriptor[];
}

/** `mitraCd` values, from the registry: `OVOE` OVO, `DANA` DANA… and those that pay on a linked account. */
function mitraCdNote(wallets: readonly WalletDescriptor[]): string {
  const named = (w: WalletDescriptor) => `\`${w.mitraCd}\` ${w.name}`;
  const linked = wallets.filter((w) => w.accountLinks);
  return `\`mitraCd\`: ${wallets.filter((w) => !w.accountLinks).map(named).join(', ')}${linked.length > 0 ? ` (${linked.map(named).join(', ')} pays on a link: \`linkInitiate.do\`)` : ''}.`;
}

const merchantUrls = { dbProcessUrl: 'https://merchant.example.com/nicepay/notify', callBackUrl: 'https://merchant.example.com/order/return' };

/** The calls with examples signed now for the sandbox merchant (CONTRACT §2: NICEPAY's published test merchant). */
export function nicepayCalls(options: DocumentOptions = {}): NicepayCall[] {
  const { iMid, merchantKey } = sandboxMerchant;
  const timeStamp = nicepayTimestamp(options.now ?? new Date());
  const referenceNo = `ORD${timeStamp}`;
  const amt = 15000;
  const tXid = newTxId(iMid, referenceNo, options.now ?? new Date());
  const linkPhone = '081234567000';
  const mandateID = mandateId(linkKey(iMid, linkPhone, options.linkIdSecret ?? 'link-id-secret'), 1);
  const linkRef = `LNK${timeStamp}`;
  const linkPayRef = `ORDA${timeStamp}`;
  const billing = { billingNm: 'Budi Santoso', billingEmail: 'budi@example.com' };
  const tokenNote = (formula: string) => `\n\n**merchantToken** = lowercase hex SHA-256 of \`${formula}\`. The example is signed for the sandbox merchant \`${iMid}\` at the time this document was built.`;

  return [
    {
      operationId: 'registration',
      method: 'post',
      path: '/nicepay/direct/v2/registration',
      summary: 'Register an e-wallet transaction',
      description: 'Registers a payment (status 3, unpaid) and answers its `tXid`. The same `iMid` + `referenceNo` with the same content returns the same `tXid` while the earlier transaction is kept; other content answers `9009`. A `tXid` is never reused: a `referenceNo` registered again after its transaction left storage gets a new one. ' + mitraCdNote(options.wallets ?? defaultWallets) + ' NICEPAY\'s other registration fields (`cartData`, `billingAddr`…, `deliveryNm`…, `userIP`, `reqDomain`…) are accepted and kept.' + tokenNote('timeStamp + iMid + referenceNo + amt + merchantKey'),
      tag: 'Payments',
      requestName: 'RegistrationRequest',
      request: registrationRequestDocumented(options.wallets ?? defaultWallets),
      replyName: 'RegistrationReply',
      reply: RegistrationReply,
      token: 'timeStamp + iMid + referenceNo + amt + merchantKey',
      example: {
        timeStamp, iMid, payMethod: '05', currency: 'IDR', amt, referenceNo, goodsNm: 'Kopi Susu Gula Aren', ...billing, billingPhone: '081234567890',
        ...merchantUrls, mitraCd: 'OVOE', description: 'Order at Kopi Senja', userIP: '127.0.0.1',
        merchantToken: tokens.registration({ timeStamp, iMid, referenceNo, amt, merchantKey }),
      },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', tXid, referenceNo, payMethod: '05', mitraCd: 'OVOE', amt: String(amt), currency: 'IDR', transDt: timeStamp.slice(0, 8), transTm: timeStamp.slice(8), description: 'Order at Kopi Senja' },
    },
    {
      operationId: 'paymentPost',
      method: 'post',
      path: '/nicepay/direct/v2/payment',
      summary: 'Pay a registered transaction',
      description: 'Submits the payment to the wallet. With `returnJsonFormat=1` or `Accept: application/json` it answers JSON (`redirectUrl` is the checkout page of DANA, ShopeePay and LinkAja; absent for OVO, which pushes to the customer\'s phone). A browser (NICEPAY\'s form submit) is redirected instead: to the OVO waiting page or to the wallet\'s checkout, and at the end to `callBackUrl?tXid&referenceNo&resultCd&resultMsg&amt&status`.' + tokenNote('timeStamp + iMid + referenceNo + amt + merchantKey (the registered values)'),
      tag: 'Payments',
      requestName: 'PaymentRequest',
      request: PaymentRequest,
      replyName: 'PaymentReply',
      reply: PaymentReply,
      token: 'timeStamp + iMid + referenceNo + amt + merchantKey',
      example: { timeStamp, tXid, callBackUrl: merchantUrls.callBackUrl, returnJsonFormat: '1', merchantToken: tokens.payment({ timeStamp, iMid, referenceNo, amt, merchantKey }) },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', tXid, referenceNo, status: '4' },
      browser: 'A browser is redirected (302) to the OVO waiting page or the wallet\'s checkout; an error is an HTML page.',
    },
    {
      operationId: 'paymentGet',
      method: 'get',
      path: '/nicepay/direct/v2/payment',
      summary: 'Pay a registered transaction (query string)',
      description: 'The payment call as a link: the same fields as the POST, in the query string.' + tokenNote('timeStamp + iMid + referenceNo + amt + merchantKey (the registered values)'),
      tag: 'Payments',
      requestName: 'PaymentRequest',
      request: PaymentRequest,
      replyName: 'PaymentReply',
      reply: PaymentReply,
      token: 'timeStamp + iMid + referenceNo + amt + merchantKey',
      example: { timeStamp, tXid, callBackUrl: merchantUrls.callBackUrl, returnJsonFormat: '1', merchantToken: tokens.payment({ timeStamp, iMid, referenceNo, amt, merchantKey }) },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', tXid, referenceNo, status: '4' },
      browser: 'A browser is redirected (302) to the OVO waiting page or the wallet\'s checkout; an error is an HTML page.',
    },
    {
      operationId: 'inquiry',
      method: 'post',
      path: '/nicepay/direct/v2/inquiry',
      summary: 'Status of a transaction',
      description: 'Answers the transaction\'s status (3 unpaid, 9 initiated, 4 processing, 0 paid, 8 failed, 5 expired, 1 void, 2 refund) and `cancelAmt`, consistent with every change the API acknowledged. An `amt` other than the registered one answers `9001`.' + tokenNote('timeStamp + iMid + referenceNo + amt + merchantKey'),
      tag: 'Payments',
      requestName: 'InquiryRequest',
      request: InquiryRequest,
      replyName: 'InquiryReply',
      reply: InquiryReply,
      token: 'timeStamp + iMid + referenceNo + amt + merchantKey',
      example: { timeStamp, iMid, tXid, referenceNo, amt, merchantToken: tokens.inquiry({ timeStamp, iMid, referenceNo, amt, merchantKey }) },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', tXid, iMid, referenceNo, payMethod: '05', mitraCd: 'OVOE', amt: String(amt), currency: 'IDR', goodsNm: 'Kopi Susu Gula Aren', billingNm: billing.billingNm, reqDt: timeStamp.slice(0, 8), reqTm: timeStamp.slice(8), status: '0', transDt: timeStamp.slice(0, 8), transTm: timeStamp.slice(8), cancelAmt: '0' },
    },
    {
      operationId: 'cancel',
      method: 'post',
      path: '/nicepay/direct/v2/cancel',
      summary: 'Void or refund a transaction',
      description: '`cancelType` `1` full, `2` partial; `amt` is the amount to cancel. Not yet paid: voided (status 1). Paid: refunded at the wallet, full (2) or partial (stays 0, `cancelAmt` grows); never more than was paid (`9502`). The same cancel repeated or sent concurrently refunds once.' + tokenNote('timeStamp + iMid + tXid + amt + merchantKey'),
      tag: 'Payments',
      requestName: 'CancelRequest',
      request: CancelRequestFields,
      replyName: 'CancelReply',
      reply: CancelReply,
      token: 'timeStamp + iMid + tXid + amt + merchantKey',
      example: { timeStamp, iMid, tXid, payMethod: '05', cancelType: '1', amt, cancelMsg: 'Customer cancelled the order', merchantToken: tokens.cancel({ timeStamp, iMid, tXid, amt, merchantKey }) },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', tXid, referenceNo, cancelAmt: String(amt), status: '2' },
    },
    {
      operationId: 'linkEnable',
      method: 'post',
      path: '/nicepay/api/linkEnable.do',
      summary: 'Link an AstraPay account',
      description: 'Starts linking the customer\'s AstraPay account (`linkStatus` `PENDING`); the customer registers on `redirectUrl`. One link per `iMid` + `billingPhone`: while one is pending or active it is returned instead of a new one. Sandbox phones ending `000` register by themselves, `001` fail, `002` never register.' + tokenNote('iMid + referenceNo + billingPhone + merchantKey (no timeStamp, as NICEPAY)'),
      tag: 'AstraPay account links',
      requestName: 'LinkEnableRequest',
      request: LinkEnableRequest,
      replyName: 'LinkEnableReply',
      reply: LinkEnableReply,
      token: 'iMid + referenceNo + billingPhone + merchantKey',
      example: {
        timeStamp, iMid, referenceNo: linkRef, payMethod: '05', mitraCd: 'ASTR', ...billing, billingPhone: linkPhone, ...merchantUrls, userIP: '127.0.0.1',
        merchantToken: tokens.linkEnable({ iMid, referenceNo: linkRef, billingPhone: linkPhone, merchantKey }),
      },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', referenceNo: linkRef, mandateID, linkStatus: 'PENDING', redirectUrl: 'http://127.0.0.1:4000/astrapay/register/LNK-1' },
      browser: 'A browser is redirected (302) to AstraPay\'s registration page (or, for an active link, to `callBackUrl`).',
    },
    {
      operationId: 'linkInquiry',
      method: 'post',
      path: '/nicepay/api/linkInquiry.do',
      summary: 'Status of an AstraPay account link (gateway)',
      description: 'The gateway\'s own (NICEPAY publishes none): the link\'s status (`PENDING`, `ACTIVE`, `FAILED`, `EXPIRED`, `DISABLED`) and the phone, masked.' + tokenNote('timeStamp + iMid + mandateID + merchantKey'),
      tag: 'AstraPay account links',
      requestName: 'LinkStatusRequest',
      request: LinkStatusRequest,
      replyName: 'LinkStatusReply',
      reply: LinkStatusReply,
      token: 'timeStamp + iMid + mandateID + merchantKey',
      example: { timeStamp, iMid, mandateID, merchantToken: tokens.linkInquiry({ timeStamp, iMid, mandateID, merchantKey }) },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', mandateID, linkStatus: 'ACTIVE', billingPhone: '0812****7000' },
    },
    {
      operationId: 'linkDisable',
      method: 'post',
      path: '/nicepay/api/linkDisable.do',
      summary: 'Unlink an AstraPay account (gateway)',
      description: 'The gateway\'s own: ends the link (`DISABLED`); no payment uses it afterwards and AstraPay revokes its token. Unlinking again is harmless; unlinking a failed or expired link is `9502`.' + tokenNote('timeStamp + iMid + mandateID + merchantKey'),
      tag: 'AstraPay account links',
      requestName: 'LinkStatusRequest',
      request: LinkStatusRequest,
      replyName: 'LinkStatusReply',
      reply: LinkStatusReply,
      token: 'timeStamp + iMid + mandateID + merchantKey',
      example: { timeStamp, iMid, mandateID, merchantToken: tokens.linkInquiry({ timeStamp, iMid, mandateID, merchantKey }) },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', mandateID, linkStatus: 'DISABLED', billingPhone: '0812****7000' },
    },
    {
      operationId: 'linkInitiate',
      method: 'post',
      path: '/nicepay/api/linkInitiate.do',
      summary: 'Pay on a linked AstraPay account',
      description: 'Registers and submits a payment (`mitraCd` `ASTR`) on an `ACTIVE` link; the customer confirms with the PIN on `redirectUrl`. Unknown `mandateID` → `8004`; a link that is not active → `9502`. Afterwards it is a payment like any other (inquiry, cancel, notification).' + tokenNote('iMid + referenceNo + amt + merchantKey (no timeStamp, as NICEPAY)'),
      tag: 'AstraPay account links',
      requestName: 'LinkInitiateRequest',
      request: LinkInitiateRequest,
      replyName: 'LinkInitiateReply',
      reply: LinkInitiateReply,
      token: 'iMid + referenceNo + amt + merchantKey',
      example: {
        timeStamp, iMid, mandateID, payMethod: '05', currency: 'IDR', amt, goodsNm: 'Kopi Susu Gula Aren', referenceNo: linkPayRef, ...billing, billingPhone: linkPhone,
        ...merchantUrls, userIP: '127.0.0.1', merchantToken: tokens.linkInitiate({ iMid, referenceNo: linkPayRef, amt, merchantKey }),
      },
      replyExample: { resultCd: '0000', resultMsg: 'SUCCESS', tXid: newTxId(iMid, linkPayRef, options.now ?? new Date()), referenceNo: linkPayRef, redirectUrl: 'http://127.0.0.1:4000/astrapay/verify/PAY-1' },
      browser: 'A browser is redirected (302) to AstraPay\'s PIN page; an error is an HTML page.',
    },
  ];
}

/** The gateway's browser pages under /nicepay (reached through redirects, signed with `sig`; not called by merchants). */
const browserPages: ReadonlyArray<{ path: string; operationId: string; summary: string; params: string[]; json?: boolean }> = [
  { path: '/nicepay/direct/v2/payment/wait/{tXid}', operationId: 'paymentWaitPage', summary: 'OVO waiting page ("Approve the payment in your OVO app")', params: ['tXid'] },
  { path: '/nicepay/direct/v2/payment/wait/{tXid}/state', operationId: 'paymentWaitState', summary: 'The waiting page\'s poll: is the payment final, and where the browser goes next', params: ['tXid'], json: true },
  { path: '/nicepay/direct/v2/payment/return/{tXid}', operationId: 'walletReturn', summary: 'Where a redirect wallet sends the browser back ("Confirming your payment…")', params: ['tXid'] },
  { path: '/nicepay/api/link/return/{iMid}/{mandateID}', operationId: 'linkReturn', summary: 'Where AstraPay sends the browser back after registration', params: ['iMid', 'mandateID'] },
];

export const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function resultCodeTable(): string {
  const rows = Object.values(ResultCode).map((code) => `| ${code} | ${defaultResultMessage[code]} |`);
  return [
    'Every answered request is HTTP 200; clients check `resultCd`. A refusal is `{resultCd, resultMsg}`, the message naming the field. Checks run in this order, the first failure answering: the body parses (9001), `iMid` is known (9011), required fields are present and valid (9007, 9008, 9013–9018, 9001), the `merchantToken` matches (9010), then the checks against state (8004, 9009, 9502).',
    '',
    '| resultCd | meaning |',
    '|---|---|',
    ...rows,
  ].join('\n');
}

function operation(call: NicepayCall): JsonSchema {
  const reply = { anyOf: [componentRef(call.replyName), componentRef('ErrorReply')] };
  const responses: JsonSchema = {
    '200': {
      description: `\`${call.replyName}\` on success (\`resultCd\` 0000), else \`ErrorReply\` (see the code table in the API description).`,
      content: {
        'application/json': {
          schema: reply,
          examples: {
            success: { summary: 'Success', value: call.replyExample },
            refused: { summary: 'Refused (see the result codes)', value: { resultCd: '9010', resultMsg: 'Invalid merchantToken' } },
          },
        },
        ...(call.browser ? { 'text/html': { schema: { type: 'string' }, description: 'A browser\'s error page.' } } : {}),
      },
    },
    ...(call.browser ? { '302': { description: call.browser, headers: { Location: { schema: { type: 'string' } } } } } : {}),
  };
  const base = { operationId: call.operationId, summary: call.summary, description: call.description, tags: [call.tag], responses };
  if (call.method === 'get') {
    const properties = (requestJsonSchema(call.request).properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(requestJsonSchema(call.request).required as string[] | undefined);
    return {
      ...base,
      parameters: Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema, example: call.example[name] })),
    };
  }
  return {
    ...base,
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: componentRef(call.requestName), examples: { sandbox: { summary: `Signed for ${sandboxMerchant.iMid}`, value: call.example } } },
        'application/x-www-form-urlencoded': { schema: componentRef(call.requestName), examples: { sandbox: { summary: `Signed for ${sandboxMerchant.iMid}`, value: call.example } } },
      },
    },
  };
}

function browserPage(p: (typeof browserPages)[number]): Record<string, JsonSchema> {
  return {
    get: {
      operationId: p.operationId,
      summary: p.summary,
      description: 'A page of the customer\'s browser, reached through the gateway\'s redirects; `sig` is the gateway\'s signature of the page (merchants never build these URLs).',
      tags: ['Browser pages'],
      parameters: [
        ...p.params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        { name: 'sig', in: 'query', required: true, schema: { type: 'string' } },
      ],
      responses: p.json
        ? { '200': { description: 'The payment\'s state for the waiting page', content: { 'application/json': { schema: { type: 'object' } } } } }
        : { '200': { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } }, '302': { description: 'On to the merchant\'s `callBackUrl`' } },
    },
  };
}

function webhook(name: string, summary: string, description: string, example: Example): JsonSchema {
  return {
    post: {
      operationId: `${name}Notification`,
      summary,
      description,
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: componentRef(name), examples: { sandbox: { value: example } } } } },
      responses: { '2XX': { description: 'Acknowledged. Anything else (or no answer within 15 s) is retried with backoff for at least 24 h.' } },
    },
  };
}

/** The gateway's OpenAPI 3.1 document, generated from the routes' zod schemas. */
export function buildOpenApiDocument(options: DocumentOptions = {}): JsonSchema {
  const calls = nicepayCalls(options);
  const { iMid, merchantKey } = sandboxMerchant;
  const schemas: Record<string, JsonSchema> = {
    ErrorReply: { ...replyJsonSchema(ErrorReply), description: resultCodeTable() },
    HealthReply: replyJsonSchema(HealthReply),
    PaymentNotification: requestJsonSchema(PaymentNotificationForm),
    LinkNotification: requestJsonSchema(LinkNotificationForm),
  };
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const call of calls) {
    schemas[call.requestName] = requestJsonSchema(call.request);
    schemas[call.replyName] = replyJsonSchema(call.reply);
    (paths[call.path] ??= {})[call.method] = operation(call);
  }
  for (const page of browserPages) paths[page.path] = browserPage(page);
  paths['/health'] = {
    get: {
      operationId: 'health',
      summary: 'Health',
      description: '200 only when Temporal answers and a worker polls the task queue; else 503.',
      tags: ['Operations'],
      responses: {
        '200': { description: 'Healthy', content: { 'application/json': { schema: componentRef('HealthReply') } } },
        '503': { description: 'Temporal unreachable or no worker', content: { 'application/json': { schema: componentRef('HealthReply') } } },
      },
    },
  };

  const registration = calls[0]?.example ?? {};
  const tXid = String(calls[0]?.replyExample.tXid);
  const mandateID = String(calls.find((c) => c.operationId === 'linkInquiry')?.example.mandateID);
  const paymentNote = {
    iMid, tXid, referenceNo: String(registration.referenceNo), payMethod: '05', mitraCd: 'OVOE', amt: '15000', currency: 'IDR', goodsNm: String(registration.goodsNm), billingNm: String(registration.billingNm),
    status: '0', transDt: String(registration.timeStamp).slice(0, 8), transTm: String(registration.timeStamp).slice(8), cancelAmt: '0',
    merchantToken: tokens.notification({ iMid, tXid, amt: 15000, merchantKey }),
  };
  const linkNote = { iMid, referenceNo: `LNK${String(registration.timeStamp)}`, mandateID, mitraCd: 'ASTR', linkStatus: 'ACTIVE', merchantToken: tokens.linkNotification({ iMid, mandateID, linkStatus: 'ACTIVE', merchantKey }) };

  return {
    openapi: '3.1.1',
    info: {
      title: 'ewallet-gateway: NICEPAY v2 e-wallet API',
      version: '0.1.0',
      summary: 'OVO, DANA, ShopeePay, LinkAja and AstraPay behind NICEPAY\'s v2 e-wallet API, on Temporal',
      description: [
        'NICEPAY\'s v2 e-wallet API (same paths, fields, `merchantToken` formulas and result codes): point an existing NICEPAY integration at this base URL. Bodies are JSON or `application/x-www-form-urlencoded` (content type matched case-insensitively); numbers may come as strings or numbers.',
        `The examples are signed for NICEPAY's public sandbox merchant \`${iMid}\` when the document is built: \`merchantToken\` is the lowercase hex SHA-256 of the fields each call names, ending with the merchantKey.`,
        '',
        '## Result codes',
        '',
        resultCodeTable(),
      ].join('\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: options.serverUrl ?? '/', description: 'this gateway' }],
    tags: [
      { name: 'Payments', description: 'NICEPAY v2 e-wallet calls (CONTRACT §3)' },
      { name: 'AstraPay account links', description: 'Account linking and payments on a link (CONTRACT §4)' },
      { name: 'Browser pages', description: 'Pages of the customer\'s browser under /nicepay' },
      { name: 'Operations', description: 'Health' },
    ],
    paths,
    webhooks: {
      paymentNotification: webhook(
        'PaymentNotification',
        'A payment\'s status changed',
        'Sent to `dbProcessUrl` on every final status, on every partial refund and when a late payment is reconciled; in order, never backwards; possibly more than once (treat it idempotently).\n\n**merchantToken** = lowercase hex SHA-256 of `iMid + tXid + amt + merchantKey`.',
        paymentNote,
      ),
      linkNotification: webhook(
        'LinkNotification',
        'An AstraPay account link changed',
        'Sent to the link\'s `dbProcessUrl` on ACTIVE, FAILED, EXPIRED and DISABLED.\n\n**merchantToken** (gateway) = lowercase hex SHA-256 of `iMid + mandateID + linkStatus + merchantKey`.',
        linkNote,
      ),
    },
    components: { schemas },
  };
}
