/**
 * Serves the built app (dist/) on localhost and drives Debian's Chromium with
 * playwright-core: no browser download, as on the developers' and CI machines.
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { outsideRequests, pageErrors } from './app.ts';

export const repoRoot = new URL('../..', import.meta.url).pathname;
const distDir = join(repoRoot, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.pcap': 'application/vnd.tcpdump.pcap',
  '.pcapng': 'application/octet-stream',
};

export async function serveDist(): Promise<{ url: string; close: () => Promise<void> }> {
  if (!existsSync(join(distDir, 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` first (npm test does)');
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(distDir, path);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(distDir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Debian's Chromium, headless, with nothing of its own reaching the network. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Where tests save the screenshots a person looks at. */
export const screenshotsDir = join(repoRoot, 'test-results');

/** One server and one browser for a test file, closed after it. */
export function sharedSession(): { browser: () => Browser; url: () => string } {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveDist>>;
  before(async () => {
    mkdirSync(screenshotsDir, { recursive: true });
    server = await serveDist();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    assert.deepEqual(pageErrors, [], 'no page of this file may see an uncaught error');
    assert.deepEqual(outsideRequests, [], 'no page of this file may make a request beyond localhost');
  });
  return { browser: () => browser, url: () => server.url };
}
