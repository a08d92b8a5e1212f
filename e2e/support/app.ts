/** Driving the app's page: open it, wait for ingest, read what it shows. */
import type { Browser, Page } from 'playwright-core';

export interface PageOptions {
  /** A first visit opens the demo capture; tests that open their own files are not first visits. */
  firstVisit?: boolean;
  width?: number;
  height?: number;
  theme?: 'light' | 'dark';
  /** Site data blocked: localStorage throws on access and IndexedDB refuses to open, as Chromium does then. */
  blockStorage?: boolean;
}

/** Requests that left localhost, over the whole run: the app must never make any. */
export const outsideRequests: string[] = [];

/** Uncaught errors and unhandled rejections of any page, over the whole run: there must be none. */
export const pageErrors: string[] = [];

/** Records the page's uncaught errors and any request beyond the app's origin (sharedSession asserts both empty). */
export function watch(page: Page, url: string): void {
  const origin = new URL(url).origin;
  page.on('pageerror', (error) => pageErrors.push(`${page.url().slice(0, 120)}: ${error.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outsideRequests.push(r.url());
  });
}

export async function openApp(browser: Browser, url: string, options: PageOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, deviceScaleFactor: 1 });
  watch(page, url);
  const theme = options.theme ?? 'light';
  const firstVisit = options.firstVisit ?? false;
  if (options.blockStorage) {
    // A string, not a function: the test runner's transpiler would wrap a function with helpers the page lacks.
    await page.addInitScript(`
      const denied = () => { throw new DOMException("Failed to read the 'localStorage' property from 'Window': Access is denied for this document.", 'SecurityError'); };
      Object.defineProperty(window, 'localStorage', { get: denied });
      IDBFactory.prototype.open = () => { throw new DOMException("Failed to execute 'open' on 'IDBFactory': access to the Indexed Database API is denied in this context.", 'SecurityError'); };
    `);
    await page.goto(url);
    return page;
  }
  await page.addInitScript(
    ([t, first]) => {
      localStorage.setItem('pt-theme', t as string);
      if (!first) localStorage.setItem('pt-visited', '1');
    },
    [theme, firstVisit] as const,
  );
  await page.goto(url);
  return page;
}

/** Waits until every file named has its line in the capture strip; returns the packet count. */
export async function opened(page: Page, ...names: string[]): Promise<number> {
  for (const name of names) await page.locator('.captures li', { hasText: name }).waitFor({ timeout: 120_000 });
  await page.getByTestId('ingest-progress').waitFor({ state: 'detached', timeout: 120_000 });
  await page.waitForFunction(() => performance.getEntriesByName('ingest', 'measure').length > 0);
  return Number((await page.getByTestId('packet-count').textContent())!.replace(/,/g, ''));
}

/**
 * Waits for the page's idle signal (src/ui/app/idle-signal.ts): no worker call in flight, no
 * timeline frame queued, no save waiting, for two frames. Call it after an action has started
 * its work (a click, a key, setInputFiles): the action flips the signal to busy at once.
 */
export async function idle(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.idle === 'true', null, { timeout, polling: 'raf' });
}

export async function viewport(page: Page): Promise<[number, number]> {
  const text = await page.locator('[data-testid="timeline"] canvas').getAttribute('data-viewport');
  const [from, to] = text!.split(',').map(Number);
  return [from, to];
}
