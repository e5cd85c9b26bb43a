import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { tokens } from '../../domain/merchant-token.js';
import { sandboxMerchant } from '../../domain/merchants.js';
import { defaultResultMessage } from '../../domain/result-codes.js';
import { buildOpenApiDocument, nicepayCalls, type Example } from '../../api/openapi/document.js';
import type { JsonSchema } from '../../api/openapi/json-schema.js';

type Operation = {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema; example?: unknown }[];
  requestBody?: { content: Record<string, { schema: JsonSchema; examples?: Record<string, { value: Example }> }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema: JsonSchema; examples?: Record<string, { value: unknown }> }> }>;
};
type PathItem = Record<string, Operation>;

const now = new Date('2026-11-25T10:00:00Z');
const doc = buildOpenApiDocument({ now, linkIdSecret: 'unit-test-secret' }) as {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, PathItem>;
  webhooks: Record<string, PathItem>;
  components: { schemas: Record<string, JsonSchema> };
};
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function validator() {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats.default(ajv);
  ajv.addKeyword({ keyword: 'components' });
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
  return (schema: JsonSchema, value: unknown) => {
    const refsResolved = JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"openapi.json#/components')) as JsonSchema;
    const validate = ajv.compile(refsResolved);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}

function operations(items: Record<string, PathItem>): [string, string, Operation][] {
  return Object.entries(items).flatMap(([path, item]) => Object.entries(item).filter(([m]) => methods.includes(m)).map(([m, op]): [string, string, Operation] => [path, m, op]));
}

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1: version, info, paths with unique operationIds and responses, declared path parameters', () => {
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.ok(doc.info.title && doc.info.version);
    const ops = [...operations(doc.paths), ...operations(doc.webhooks)];
    assert.ok(ops.length >= 14);
    const ids = ops.map(([, , op]) => op.operationId);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const [path, method, op] of ops) {
      assert.ok(op.operationId, `${method} ${path} has an operationId`);
      assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
      for (const [code, response] of Object.entries(op.responses)) {
        assert.match(code, /^([1-5]\d\d|[1-5]XX|default)$/, `${method} ${path} response ${code}`);
        assert.ok(response.description, `${method} ${path} ${code} has a description`);
      }
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), templated.sort(), `${method} ${path}: path parameters declared`);
      if (method === 'get') assert.equal(op.requestBody, undefined, 'no body on a GET');
    }
  });

  test('every $ref resolves and every schema compiles as JSON Schema 2020-12', () => {
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(doc.components.schemas[name ?? ''], `$ref ${name} resolves`);
    const check = validator();
    for (const [name, schema] of Object.entries(doc.components.schemas)) assert.doesNotThrow(() => check(schema, {}), name);
  });

  test('every NICEPAY call: both content types, the reply or the error reply, the token formula in the description', () => {
    for (const call of nicepayCalls({ now })) {
      const op = doc.paths[call.path]?.[call.method];
      assert.ok(op, `${call.method} ${call.path} documented`);
      const json = op.responses?.['200']?.content?.['application/json']?.schema;
      assert.deepEqual(json, { anyOf: [{ $ref: `#/components/schemas/${call.replyName}` }, { $ref: '#/components/schemas/ErrorReply' }] });
      assert.match(String((op as { description?: string }).description), /merchantToken\*\* = lowercase hex SHA-256 of `[^`]*merchantKey/);
      if (call.method === 'post') assert.deepEqual(Object.keys(op.requestBody?.content ?? {}).sort(), ['application/json', 'application/x-www-form-urlencoded']);
    }
    const errorDescription = String(doc.components.schemas.ErrorReply?.description);
    for (const code of Object.keys(defaultResultMessage)) assert.match(errorDescription, new RegExp(`\\| ${code} \\|`), `code ${code} in the error reply's table`);
    assert.ok(doc.paths['/health']?.get);
    assert.deepEqual(Object.keys(doc.webhooks).sort(), ['linkNotification', 'paymentNotification']);
  });

  test('every example is valid: against its documented schema, against the route\'s own zod schema, and signed correctly', () => {
    const check = validator();
    const { iMid, merchantKey } = sandboxMerchant;
    for (const [path, method, op] of [...operations(doc.paths), ...operations(doc.webhooks)]) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        assert.ok(media.examples && Object.keys(media.examples).length > 0, `${method} ${path} ${type} has an example`);
        for (const { value } of Object.values(media.examples)) assert.deepEqual(check(media.schema, value), [], `${method} ${path} ${type}`);
      }
      for (const p of op.parameters ?? []) if (p.example !== undefined) assert.deepEqual(check(p.schema, p.example), [], `${method} ${path} ${p.name}`);
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          for (const [name, { value }] of Object.entries(media.examples ?? {})) assert.deepEqual(check(media.schema, value), [], `${method} ${path} ${code} ${type} example ${name}`);
        }
      }
    }
    for (const call of nicepayCalls({ now })) {
      assert.deepEqual(check({ $ref: `#/components/schemas/${call.replyName}` }, call.replyExample), [], `${call.operationId}: the reply example is a ${call.replyName}`);
    }
    for (const call of nicepayCalls({ now, linkIdSecret: 'unit-test-secret' })) {
      const parsed = call.request.safeParse(call.example);
      assert.ok(parsed.success, `${call.operationId}: ${parsed.error?.message ?? ''}`);
      const e = Object.fromEntries(Object.entries(call.example).map(([k, v]) => [k, String(v)]));
      const reg = nicepayCalls({ now })[0]?.example ?? {};
      const expected = {
        registration: () => tokens.registration({ timeStamp: e.timeStamp ?? '', iMid, referenceNo: e.referenceNo ?? '', amt: e.amt ?? '', merchantKey }),
        paymentPost: () => tokens.payment({ timeStamp: e.timeStamp ?? '', iMid, referenceNo: String(reg.referenceNo), amt: String(reg.amt), merchantKey }),
        paymentGet: () => tokens.payment({ timeStamp: e.timeStamp ?? '', iMid, referenceNo: String(reg.referenceNo), amt: String(reg.amt), merchantKey }),
        inquiry: () => tokens.inquiry({ timeStamp: e.timeStamp ?? '', iMid, referenceNo: e.referenceNo ?? '', amt: e.amt ?? '', merchantKey }),
        cancel: () => tokens.cancel({ timeStamp: e.timeStamp ?? '', iMid, tXid: e.tXid ?? '', amt: e.amt ?? '', merchantKey }),
        linkEnable: () => tokens.linkEnable({ iMid, referenceNo: e.referenceNo ?? '', billingPhone: e.billingPhone ?? '', merchantKey }),
        linkInquiry: () => tokens.linkInquiry({ timeStamp: e.timeStamp ?? '', iMid, mandateID: e.mandateID ?? '', merchantKey }),
        linkDisable: () => tokens.linkInquiry({ timeStamp: e.timeStamp ?? '', iMid, mandateID: e.mandateID ?? '', merchantKey }),
        linkInitiate: () => tokens.linkInitiate({ iMid, referenceNo: e.referenceNo ?? '', amt: e.amt ?? '', merchantKey }),
      }[call.operationId];
      assert.ok(expected, `a token check for ${call.operationId}`);
      assert.equal(e.merchantToken, expected(), `${call.operationId}: merchantToken`);
      assert.equal(e.timeStamp, '20261125170000', 'signed at build time (WIB)');
    }
  });
});
