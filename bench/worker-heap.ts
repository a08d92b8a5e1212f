/**
 * The ingest worker's own heap, over the DevTools protocol. The page's figures
 * (performance.memory, Performance.getMetrics) cover the main thread's isolate only, and
 * Playwright's CDPSession cannot address a worker's child session; so this attaches to the
 * worker from a browser-level session and talks to it through Target.sendMessageToTarget
 * (the non-flattened, deprecated but working route).
 */
import type { CDPSession, Page } from 'playwright-core';

export interface HeapUsage {
  /** V8 heap in use (JS objects). */
  usedSize: number;
  /** ArrayBuffer backing stores, outside the V8 heap: where the store's columns live. */
  backingStorageSize: number;
}

export async function workerHeapUsage(page: Page): Promise<HeapUsage> {
  const pageSession = await page.context().newCDPSession(page);
  const { targetInfo } = await pageSession.send('Target.getTargetInfo');
  const session = await page.context().browser()!.newBrowserCDPSession();
  try {
    const { targetInfos } = await session.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'worker' && t.parentId === targetInfo.targetId);
    if (!worker) throw new Error('the bench page has no worker target');
    const { sessionId } = await session.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
    // Collect first: the figure is what the worker keeps, not garbage the next GC drops.
    await sendToTarget(session, sessionId, 1, 'HeapProfiler.collectGarbage');
    return (await sendToTarget(session, sessionId, 2, 'Runtime.getHeapUsage')) as HeapUsage;
  } finally {
    await session.detach();
    await pageSession.detach();
  }
}

function sendToTarget(session: CDPSession, sessionId: string, id: number, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: { sessionId?: string; message: string }) => {
      const reply = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      if (event.sessionId !== sessionId || reply.id !== id) return;
      session.off('Target.receivedMessageFromTarget', onMessage);
      if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
      else resolve(reply.result);
    };
    session.on('Target.receivedMessageFromTarget', onMessage);
    session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
  });
}
