import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, inCi, launchChromium, phoneContext, recordNavigations, screenshot, waitForCount, waitForText } from '../support/browser.js';
import { E2eStack } from '../support/e2e-stack.js';

/**
 * A customer in headless Chromium pays with AstraPay in the sandbox's demo shop (CONTRACT §4), which uses the
 * gateway's public API only. The first payment links the account: the shop calls linkEnable and sends the
 * browser to AstraPay's registration page (name, OTP), which returns through the gateway to the shop's link page
 * (confirmed with linkInquiry, the signed link notification listed); "Pay" there calls linkInitiate and sends the
 * browser to AstraPay's verification page (PIN), which returns through the gateway to the shop's result page,
 * listing both notifications. The second payment goes straight to the PIN. After "Unlink AstraPay"
 * (linkDisable) the next payment asks to link again. Screenshots go to test-results/screenshots/astrapay-*.
 */
const missing = chromiumMissing();
const skip = missing !== undefined && !inCi ? `${missing} (browser tests skipped; in CI they fail instead)` : false;

/** No magic ending: a person registers and confirms. */
const PHONE = '081234567890';
const STEP_TIMEOUT = 20_000;

void describe('browser: AstraPay in the demo shop, account link then linked payments', { skip, timeout: 300_000 }, () => {
  let stack: E2eStack;
  let browser: Browser;
  let shopUrl: string;
  /** Carried from one step to the next: the tests run in order and build on each other. */
  let mandateID: string | undefined;
  let secondResultUrl: string | undefined;

  before(async () => {
    if (missing) throw new Error(missing);
    // A person registers and types a PIN: more than the stack's 4 s windows.
    stack = await E2eStack.start({ CHECKOUT_TIMEOUT_SECONDS: '60', LINK_TIMEOUT_SECONDS: '60' });
    browser = await launchChromium();
    shopUrl = `${stack.sandbox.baseUrl}/shop`;
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function withContext(run: (context: BrowserContext) => Promise<void>): Promise<void> {
    const context = await phoneContext(browser);
    try {
      await run(context);
    } finally {
      await context.close();
    }
  }

  /** The shop page: one Kopi Susu Gula Aren (Rp 25.000), AstraPay, the phone, Pay. */
  async function orderWithAstraPay(page: Page, name: string): Promise<void> {
    await page.goto(shopUrl);
    assert.equal(await page.getByTestId('total').textContent(), 'Rp 25.000');
    await page.getByRole('radio', { name: 'AstraPay', exact: true }).check();
    await page.getByLabel('Phone number').fill(PHONE);
    await screenshot(page, name, '1-shop');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
  }

  /** AstraPay's registration page: the phone pre-filled, full name, OTP 123456, Register (or Cancel). */
  async function registerAtAstraPay(page: Page, name: string, step: string, action: 'Register' | 'Cancel'): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(`${stack.sandbox.baseUrl}/astrapay/register/`), { timeout: STEP_TIMEOUT });
    await page.getByRole('heading', { name: 'Link your AstraPay account' }).waitFor();
    assert.match(await page.title(), /AstraPay/);
    assert.equal(await page.getByLabel('Phone number').inputValue(), PHONE, 'AstraPay shows the phone the shop sent');
    if (action === 'Register') {
      await page.getByLabel('Full name').fill('Siti Rahayu');
      await page.getByLabel('OTP').fill('123456');
    }
    await screenshot(page, name, step);
    await page.getByRole('button', { name: action, exact: true }).click();
  }

  /** AstraPay's verification page: the shop's order and amount, PIN 123456, Confirm. */
  async function confirmAtAstraPay(page: Page, name: string, step: string): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(`${stack.sandbox.baseUrl}/astrapay/verify/`), { timeout: STEP_TIMEOUT });
    await page.getByRole('heading', { name: 'Confirm with your PIN' }).waitFor();
    await page.getByText('Rp 25.000').first().waitFor();
    await page.getByLabel('PIN', { exact: true }).fill('123456');
    await screenshot(page, name, step);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  }

  /** The shop's result page: Paid (inquiry), and both the link's and the payment's notifications, tokens valid. */
  async function expectPaid(page: Page, name: string, step: string): Promise<URL> {
    await page.waitForURL(/\/shop\/result\?/, { timeout: STEP_TIMEOUT });
    const url = new URL(page.url());
    assert.equal(url.origin, stack.sandbox.baseUrl, 'back at the shop');
    assert.equal(url.searchParams.get('status'), '0', 'the gateway returned the customer with status 0');
    await waitForText(page.getByTestId('status'), /^Paid$/, 'the status on the result page');
    const notes = page.getByTestId('notifications');
    await waitForCount(notes.locator('li[data-kind="payment"][data-status="0"][data-token-valid="true"]'), 'the payment notification (status 0, valid token)');
    await waitForCount(notes.locator('li[data-kind="link"][data-link-status="ACTIVE"][data-token-valid="true"]'), 'the account link notification (ACTIVE, valid token)');
    const text = (await notes.textContent()) ?? '';
    assert.match(text, /Account link: ACTIVE[\s\S]*token valid ✓/);
    assert.match(text, /Payment: Paid[\s\S]*token valid ✓/);
    assert.doesNotMatch(text, /INVALID/);
    assert.equal(await page.getByTestId('wallet').textContent(), 'AstraPay');
    assert.equal(await page.getByTestId('amount').textContent(), 'Rp 25.000');
    await page.getByRole('button', { name: 'Unlink AstraPay' }).waitFor();
    await screenshot(page, name, step);
    return url;
  }

  /** The browser's hops in this order (each after the one before), by origin and path prefix. */
  function assertRoute(hops: readonly string[], expected: ReadonlyArray<readonly [origin: string, pathPrefix: string]>): void {
    const route = hops.map((h) => `${new URL(h).origin === stack.apiUrl ? 'gateway' : 'sandbox'}${new URL(h).pathname}`).join(' → ');
    let from = 0;
    for (const [origin, prefix] of expected) {
      const at = hops.findIndex((h, i) => i >= from && new URL(h).origin === origin && new URL(h).pathname.startsWith(prefix));
      assert.ok(at >= 0, `expected ${origin === stack.apiUrl ? 'the gateway' : 'the sandbox'} ${prefix} in order in: ${route}`);
      from = at + 1;
    }
  }

  void test('first AstraPay payment: shop → AstraPay registration (OTP) → the shop says linked, notified → Pay → PIN → Paid, both notifications', { timeout: 120_000 }, async () => {
    const name = 'astrapay-first';
    await withContext(async (context) => {
      const page = await context.newPage();
      const hops = recordNavigations(page);
      await page.goto(shopUrl);
      for (const wallet of ['OVO', 'DANA', 'ShopeePay', 'LinkAja', 'AstraPay']) await page.getByRole('radio', { name: wallet, exact: true }).waitFor();
      await orderWithAstraPay(page, name);
      await registerAtAstraPay(page, name, '2-astrapay-register', 'Register');

      await page.waitForURL(/\/shop\/astrapay\/linked\?/, { timeout: STEP_TIMEOUT });
      const linked = new URL(page.url());
      assert.equal(linked.origin, stack.sandbox.baseUrl, 'back at the shop');
      mandateID = linked.searchParams.get('mandateID') ?? undefined;
      assert.ok(mandateID, `the callBackUrl names the mandateID: ${linked.href}`);
      assert.equal(linked.searchParams.get('linkStatus'), 'ACTIVE');
      await waitForText(page.getByTestId('link-status'), /^AstraPay account linked$/, 'the link status');
      await waitForCount(page.locator('[data-testid="link-notifications"] li[data-link-status="ACTIVE"][data-token-valid="true"]'), 'the link notification (ACTIVE, valid token)');
      assert.match((await page.getByTestId('link-notifications').textContent()) ?? '', /Account link: ACTIVE[\s\S]*token valid ✓/);
      assert.equal(await page.getByTestId('mandate-id').textContent(), mandateID);
      assert.match((await page.getByTestId('link-phone').textContent()) ?? '', /^0812\*+7890$/, 'the gateway shows the phone masked');
      const pay = page.getByRole('button', { name: 'Pay Rp 25.000 with AstraPay' });
      await pay.waitFor();
      await screenshot(page, name, '3-shop-linked');
      await pay.click();

      await confirmAtAstraPay(page, name, '4-astrapay-verify');
      await expectPaid(page, name, '5-result');
      assertRoute(hops, [
        [stack.sandbox.baseUrl, '/shop/checkout'],
        [stack.sandbox.baseUrl, '/astrapay/register/'],
        [stack.apiUrl, '/'],
        [stack.sandbox.baseUrl, '/shop/astrapay/linked'],
        [stack.sandbox.baseUrl, '/shop/astrapay/pay'],
        [stack.sandbox.baseUrl, '/astrapay/verify/'],
        [stack.apiUrl, '/'],
        [stack.sandbox.baseUrl, '/shop/result'],
      ]);
    });
  });

  void test('second AstraPay payment with the same phone: straight to the PIN page, no registration → Paid', { timeout: 90_000 }, async () => {
    assert.ok(mandateID, 'the first payment linked the account');
    const name = 'astrapay-second';
    await withContext(async (context) => {
      const page = await context.newPage();
      const hops = recordNavigations(page);
      await orderWithAstraPay(page, name);
      await confirmAtAstraPay(page, name, '2-astrapay-verify');
      const result = await expectPaid(page, name, '3-result');
      secondResultUrl = result.href;
      assert.ok(!hops.some((h) => new URL(h).pathname.startsWith('/astrapay/register/')), `no registration: ${hops.join(' → ')}`);
      assertRoute(hops, [
        [stack.sandbox.baseUrl, '/shop/checkout'],
        [stack.sandbox.baseUrl, '/astrapay/verify/'],
        [stack.apiUrl, '/'],
        [stack.sandbox.baseUrl, '/shop/result'],
      ]);
      // The same link paid both times.
      const linkNote = page.locator('[data-testid="notifications"] li[data-kind="link"]');
      assert.ok((await linkNote.count()) >= 1);
    });
  });

  void test('Unlink AstraPay on the result page → the shop says unlinked; the next AstraPay payment asks to link again', { timeout: 90_000 }, async () => {
    assert.ok(mandateID && secondResultUrl, 'the earlier payments ran');
    const name = 'astrapay-unlink';
    await withContext(async (context) => {
      const page = await context.newPage();
      await page.goto(secondResultUrl ?? '');
      await waitForText(page.getByTestId('status'), /^Paid$/, 'the second payment’s result');
      await page.getByRole('button', { name: 'Unlink AstraPay' }).click();

      await page.waitForURL(/\/shop\/astrapay\/link\?/, { timeout: STEP_TIMEOUT });
      await waitForText(page.getByTestId('link-status'), /^AstraPay unlinked$/, 'the link status after unlinking');
      assert.equal(await page.getByTestId('link-status').getAttribute('data-link-status'), 'DISABLED', 'linkInquiry says DISABLED');
      assert.equal(await page.getByTestId('mandate-id').textContent(), mandateID);
      assert.equal(await page.getByRole('button', { name: 'Unlink AstraPay' }).count(), 0, 'nothing left to unlink');
      await screenshot(page, name, '1-unlinked');

      const hops = recordNavigations(page);
      await page.getByRole('link', { name: 'Back to the shop' }).click();
      await page.getByRole('radio', { name: 'AstraPay', exact: true }).check();
      await page.getByLabel('Phone number').fill(PHONE);
      await screenshot(page, name, '2-shop');
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await registerAtAstraPay(page, name, '3-astrapay-register-again', 'Cancel');
      assertRoute(hops, [
        [stack.sandbox.baseUrl, '/shop/checkout'],
        [stack.sandbox.baseUrl, '/astrapay/register/'],
      ]);

      // Cancelling the registration: the shop says the link failed and offers to link again.
      await page.waitForURL(/\/shop\/astrapay\/linked\?/, { timeout: STEP_TIMEOUT });
      const again = new URL(page.url()).searchParams.get('mandateID');
      assert.ok(again && again !== mandateID, `a new link request, not the unlinked one: ${again ?? ''}`);
      await waitForText(page.getByTestId('link-status'), /^AstraPay linking failed$/, 'the link status after Cancel');
      await waitForCount(page.locator('[data-testid="link-notifications"] li[data-link-status="FAILED"][data-token-valid="true"]'), 'the link notification (FAILED, valid token)');
      await page.getByRole('button', { name: 'Link AstraPay again' }).waitFor();
      await screenshot(page, name, '4-shop-link-failed');
    });
  });
});
