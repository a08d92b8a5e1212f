/**
 * The page's idle signal, for tests and the benchmark: `<html data-idle="true">` once no
 * worker call is in flight, no timeline frame is queued and no save of marks waits, and
 * that has held for two animation frames (React has then rendered what the last change of
 * the model caused, and work that render started, such as the list asking for rows, is
 * counted). Any new work or change sets it to "false" at once, in the same task.
 *
 * Wait for it after an action, e.g. `page.waitForFunction(() => document.documentElement.dataset.idle === 'true')`
 * (e2e/support/app.ts: `idle(page)`).
 */
import type { Activity } from './activity.ts';

const QUIET_FRAMES = 2;

export function publishIdle(activity: Activity, store: { subscribe(listener: () => void): () => void }): void {
  const root = document.documentElement;
  let frame = 0;
  let quiet = 0;
  const check = () => {
    frame = 0;
    if (activity.busy) return;
    if (++quiet >= QUIET_FRAMES) root.dataset.idle = 'true';
    else frame = requestAnimationFrame(check);
  };
  const changed = () => {
    quiet = 0;
    root.dataset.idle = 'false';
    if (!frame) frame = requestAnimationFrame(check);
  };
  activity.subscribe(changed);
  store.subscribe(changed);
  changed();
}
