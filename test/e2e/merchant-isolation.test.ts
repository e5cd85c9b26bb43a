import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { merchantToken } from '../../domain/merchant-token.js';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { useE2eStack } from '../support/e2e-stack.js';

const other = { iMid: 'OTHERSHOP1', merchantKey: 'other-shop-merchant-key-0123456789', name: 'Other Shop' };

/** A merchant's token opens only its own transactions and links: another merchant's are "not found" (8004). */
describe('merchants read and change only their own transactions', () => {
  const e2e = useE2eStack({ MERCHANTS_JSON: JSON.stringify([other]) });

  test("another merchant's valid token cannot inquire, pay, cancel or read the links of IONPAYTEST's", async () => {
    const reg = await e2e.client.register('081234560000');
    assert.equal(reg.resultCd, '0000');
    const tXid = reg.tXid ?? '';
    const link = await e2e.client.linkEnable('081234561000');
    const mandateID = link.mandateID ?? '';
    const timeStamp = nicepayTimestamp(new Date());
    const sign = (...parts: (string | number)[]) => merchantToken(...parts, other.merchantKey);
    const post = async (path: string, body: Record<string, string | number>) => (await e2e.client.post(path, body)).body;

    const inquiry = await post('/nicepay/direct/v2/inquiry', { timeStamp, iMid: other.iMid, tXid, referenceNo: reg.referenceNo ?? '', amt: 15000, merchantToken: sign(timeStamp, other.iMid, reg.referenceNo ?? '', 15000) });
    assert.equal(inquiry.resultCd, '8004', inquiry.resultMsg);
    const cancel = await post('/nicepay/direct/v2/cancel', { timeStamp, iMid: other.iMid, tXid, payMethod: '05', cancelType: '1', amt: 15000, cancelMsg: 'x', merchantToken: sign(timeStamp, other.iMid, tXid, 15000) });
    assert.equal(cancel.resultCd, '8004', cancel.resultMsg);
    const unknownMandate = `M${'0'.repeat(16)}001`;
    for (const call of ['linkInquiry', 'linkDisable'] as const) {
      const answer = await post(`/nicepay/api/${call}.do`, { timeStamp, iMid: other.iMid, mandateID, merchantToken: sign(timeStamp, other.iMid, mandateID) });
      assert.equal(answer.resultCd, '8004', `${call}: ${answer.resultMsg ?? ''}`);
      // Exactly like an unknown mandate: nothing tells "exists, but another merchant's" apart (issue 22, finding 10).
      const unknown = await post(`/nicepay/api/${call}.do`, { timeStamp, iMid: other.iMid, mandateID: unknownMandate, merchantToken: sign(timeStamp, other.iMid, unknownMandate) });
      assert.deepEqual([answer.resultCd, answer.resultMsg], [unknown.resultCd, unknown.resultMsg], call);
    }
    const unknownTxId = `${tXid.slice(0, -1)}${tXid.endsWith('0') ? '1' : '0'}`;
    const unknownInquiry = await post('/nicepay/direct/v2/inquiry', { timeStamp, iMid: other.iMid, tXid: unknownTxId, referenceNo: reg.referenceNo ?? '', amt: 15000, merchantToken: sign(timeStamp, other.iMid, reg.referenceNo ?? '', 15000) });
    assert.deepEqual([inquiry.resultCd, inquiry.resultMsg], [unknownInquiry.resultCd, unknownInquiry.resultMsg], 'an inquiry for another merchant\'s tXid reads like one for an unknown tXid');
    // The payment call carries no iMid: the tXid names its merchant, whose key the token must be made with.
    const pay = await e2e.client.payJson(reg, { merchantToken: sign(timeStamp, other.iMid, reg.referenceNo ?? '', 15000), timeStamp });
    assert.equal(pay.resultCd, '9010', pay.resultMsg);
    // Nothing changed for the owner.
    assert.equal((await e2e.client.inquire(reg)).status, '3');
    assert.equal((await e2e.client.linkCall('linkInquiry', mandateID)).resultCd, '0000');
    // The other merchant's own transactions work with its own key.
    const own = await post('/nicepay/direct/v2/registration', {
      ...e2e.client.registrationFields('081234562000'),
      iMid: other.iMid,
      referenceNo: 'OTHER-1',
      merchantToken: sign(timeStamp, other.iMid, 'OTHER-1', 15000),
      timeStamp,
    });
    assert.equal(own.resultCd, '0000', own.resultMsg);
    assert.match(own.tXid ?? '', /^OTHERSHOP105/);
  });
});
