import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's package (`.ci/run` installs it when missing); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = join('test-results', 'screenshots');

/**
 * Why the browser tests cannot run here, or `undefined` when they can. A developer machine without Chromium
 * skips them with this message; in CI (`CI=true`) a missing browser is a failure, not a skip.
 */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`;
}

export const inCi = process.env.CI === 'true';

/** Headless Chromium with a fresh temporary profile (playwright's default), no network chatter of its own. */
export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized browser window (the shop and the wallet pages are made for phones). */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 400, height: 860 }, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Asia/Jakarta' });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  return context;
}

/**
 * Saves `test-results/screenshots/<test>-<step>.png` (git-ignored), the whole page. A page that is navigating
 * by itself (a refresh, a redirect) is retried a few times; a screenshot that still fails only warns.
 */
export async function screenshot(page: Page, testName: string, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${testName}-${step}.png`);
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForLoadState('load', { timeout: 5_000 });
      await page.screenshot({ path, fullPage: true, timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 3) {
        console.warn(`screenshot ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
  }
}

/** Every URL the page's main frame requests as a navigation, redirect hops included, in order. */
export function recordNavigations(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) urls.push(request.url());
  });
  return urls;
}

/**
 * Waits until `locator`'s text matches, across the page's own reloads (the shop's result page refreshes itself
 * until the notification is there). Returns the text; times out with what it last saw.
 */
export async function waitForText(locator: Locator, expected: RegExp, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    last = await locator.first().textContent({ timeout: 1_000 }).catch(() => last);
    if (last !== null && expected.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} to match ${String(expected)}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until `locator` matches at least one element (across reloads) and returns how many it matches. */
export async function waitForCount(locator: Locator, what: string, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await locator.count().catch(() => 0);
    if (count > 0) return count;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
