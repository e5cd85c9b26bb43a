import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../api/errors.js';
import { translate, translateRead } from '../../api/payments-client.js';

/** A gRPC service error as the Temporal client surfaces it (code, details, metadata). */
const grpc = (code: number) => Object.assign(new Error('grpc'), { code, details: 'deadline', metadata: {} });
const codeOf = (err: unknown) => (err instanceof GatewayError ? err.resultCd : 'not translated');

test('a call that times out: an update is "outcome not known, inquire later" (1004); a read is "busy, nothing was done" (9002)', () => {
  assert.equal(codeOf(translate(grpc(4))), '1004');
  assert.equal(codeOf(translateRead(grpc(4))), '9002');
  assert.equal(codeOf(translateRead(grpc(14))), '9002', 'the engine unreachable: busy, for reads and writes alike');
  assert.equal(codeOf(translate(grpc(14))), '9002');
  assert.equal(codeOf(translateRead(new Error('anything else'))), 'not translated', 'left to the error handler: 1003');
});
