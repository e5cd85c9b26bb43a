import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nicepayTimestamp } from '../../domain/nicepay-time.js';
import { useE2eStack } from '../support/e2e-stack.js';
import type { Reply } from '../support/nicepay-client.js';

let n = 0;
const phone = (magic: string) => `0815${String(Date.now() % 100_000).padStart(5, '0')}${String(++n % 10)}${magic}`;
describe('burst', () => {
  const e2e = useE2eStack();
  for (let round = 0; round < 8; round++) test(`13 cancels ${round}`, async () => {
    const reg: Reply = await e2e.client.register(phone('000'), { mitraCd: 'ESHP' });
    await e2e.client.payJson(reg);
    await e2e.stack.notified(reg.tXid ?? '', '0');
    const timeStamp = nicepayTimestamp(new Date());
    const same = Array.from({ length: 10 }, () => e2e.client.cancel(reg, '1', 15000, { timeStamp }));
    const others = Array.from({ length: 3 }, (_, i) => e2e.client.cancel(reg, '1', 15000, { cancelMsg: `click ${i}` }));
    const answers = await Promise.all([...same, ...others]);
    console.log(answers.map((a) => `${a.resultCd} ${a.resultMsg}`));
    for (const a of answers) assert.equal(a.resultCd, '0000');
  });
});
