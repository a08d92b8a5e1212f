/**
 * Marks kept in IndexedDB (idb-keyval: a small, well-kept wrapper) under the fingerprint of
 * the capture's content, so they come back after a reload, a crash or a rename, and never
 * land on a different file that happens to have the same name.
 *
 * Storage can be missing (site data blocked, some private modes), fail, or be full. Every
 * call here resolves; a failure becomes a sentence the Marks panel shows, so marks are never
 * lost without the user being told (and offered a file instead).
 */
import { get, set } from 'idb-keyval';

export interface SavedMark {
  frame: number;
  note: string;
}

export interface SavedRange {
  /** Epoch seconds (µs precision is plenty for a window). */
  from: number;
  to: number;
  label: string;
  note: string;
  color?: string;
}

export interface SavedMarks {
  name: string;
  marks: SavedMark[];
  ranges: SavedRange[];
  savedAt: string;
}

/** IndexedDB may never answer (a blocked upgrade, a broken profile): give up after this. */
const ANSWER_MS = 5000;

export type Stored<T> = { ok: true; value: T } | { ok: false; problem: string };

export async function loadMarks(fingerprint: string): Promise<Stored<unknown>> {
  return attempt(() => get<unknown>(`marks:${fingerprint}`));
}

export async function saveMarks(fingerprint: string, saved: SavedMarks): Promise<Stored<void>> {
  return attempt(async () => {
    await set(`marks:${fingerprint}`, saved);
    await set(`name:${saved.name}`, fingerprint);
  });
}

/** The fingerprint marks were last saved under for a file of this name, if any. */
export async function fingerprintForName(name: string): Promise<string | undefined> {
  const found = await attempt(() => get<unknown>(`name:${name}`));
  return found.ok && typeof found.value === 'string' ? found.value : undefined;
}

async function attempt<T>(work: () => Promise<T>): Promise<Stored<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ANSWER_MS)));
  try {
    return { ok: true, value: await Promise.race([work(), late]) };
  } catch (error) {
    return { ok: false, problem: storageProblem(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** What went wrong, in the user's words. */
export function storageProblem(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? (error as Error).name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError' || /quota/i.test(message)) return "the browser's storage for this site is full, so marks are not being saved";
  if (message === 'timeout') return 'the browser\u2019s storage did not answer, so marks are not being saved';
  if (name === 'SecurityError' || name === 'InvalidStateError' || typeof indexedDB === 'undefined' || /indexedDB|not allowed|denied/i.test(message)) {
    return 'this browser does not let the page keep data (site data blocked, or a private window), so marks are not saved';
  }
  return `the browser could not save marks (${message.slice(0, 200)})`;
}
