/** Driving the app's page: open it, wait for ingest, read what it shows. */
import type { Browser, Page } from 'playwright-core';

export interface PageOptions {
  /** A first visit opens the demo capture; tests that open their own files are not first visits. */
  firstVisit?: boolean;
  width?: number;
  height?: number;
  theme?: 'light' | 'dark';
}

/** Requests that left localhost, over the whole run: the app must never make any. */
export const outsideRequests: string[] = [];

export async function openApp(browser: Browser, url: string, options: PageOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, deviceScaleFactor: 1 });
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outsideRequests.push(r.url());
  });
  const theme = options.theme ?? 'light';
  const firstVisit = options.firstVisit ?? false;
  await page.addInitScript(([t, first]) => {
    localStorage.setItem('pt-theme', t as string);
    if (!first) localStorage.setItem('pt-visited', '1');
  }, [theme, firstVisit] as const);
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

export async function viewport(page: Page): Promise<[number, number]> {
  const text = await page.locator('[data-testid="timeline"] canvas').getAttribute('data-viewport');
  const [from, to] = text!.split(',').map(Number);
  return [from, to];
}
