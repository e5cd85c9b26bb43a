/**
 * Plays a merchant for a person trying the gateway: registers an OVO payment through the public NICEPAY API
 * and prints the URL to open in a browser. `npm run demo:ovo -- 081234567890` (any phone; see the magic values).
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../domain/config.js';
import { sandboxMerchant } from '../domain/merchants.js';
import { merchantToken } from '../domain/merchant-token.js';
import { nicepayTimestamp } from '../domain/nicepay-time.js';
import { paymentWorkflowId } from '../domain/tx-id.js';

const config = loadConfig();
const phone = process.argv[2] ?? '081234567890';
const amt = Number(process.argv[3] ?? 15000);
const api = `http://127.0.0.1:${config.api.port}`;
const { iMid, merchantKey } = sandboxMerchant;
const referenceNo = `DEMO-${randomUUID().slice(0, 8)}`;
const timeStamp = nicepayTimestamp(new Date());
const callBackUrl = `${config.sandbox.publicUrl}/`;

const res = await fetch(`${api}/nicepay/direct/v2/registration`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    timeStamp, iMid, payMethod: '05', mitraCd: 'OVOE', currency: 'IDR', amt, referenceNo,
    goodsNm: 'Demo order', billingNm: 'Demo Customer', billingPhone: phone, billingEmail: 'demo@example.com',
    dbProcessUrl: `${config.sandbox.baseUrl}/sandbox/merchant/notify`, callBackUrl,
    merchantToken: merchantToken(timeStamp, iMid, referenceNo, amt, merchantKey),
  }),
});
const reg = (await res.json()) as Record<string, string>;
if (reg.resultCd !== '0000') {
  console.error(`registration refused: ${reg.resultCd} ${reg.resultMsg}`);
  process.exit(1);
}
const payTime = nicepayTimestamp(new Date());
const pay = new URLSearchParams({ timeStamp: payTime, tXid: reg.tXid ?? '', callBackUrl, merchantToken: merchantToken(payTime, iMid, referenceNo, amt, merchantKey) });
console.log(`registered ${reg.tXid} (referenceNo ${referenceNo}, Rp ${amt}, OVO ${phone})

1. open the payment in a browser:   ${api}/nicepay/direct/v2/payment?${pay.toString()}
2. approve on the phone's OVO app:  ${config.sandbox.publicUrl}/ovo/phone/${phone}
3. watch it in the Temporal Web UI: http://127.0.0.1:${config.temporal.uiPort}/namespaces/default/workflows/${paymentWorkflowId(reg.tXid ?? '')}`);
