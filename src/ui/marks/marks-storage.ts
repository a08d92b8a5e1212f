/**
 * Marks kept in IndexedDB (idb-keyval: a small, well-kept wrapper) under the fingerprint of
 * the capture's content, so they come back after a reload, a crash or a rename, and never
 * land on a different file that happens to have the same name.
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

export function loadMarks(fingerprint: string): Promise<SavedMarks | undefined> {
  return get<SavedMarks>(`marks:${fingerprint}`);
}

export async function saveMarks(fingerprint: string, saved: SavedMarks): Promise<void> {
  await set(`marks:${fingerprint}`, saved);
  await set(`name:${saved.name}`, fingerprint);
}

/** The fingerprint marks were last saved under for a file of this name, if any. */
export function fingerprintForName(name: string): Promise<string | undefined> {
  return get<string>(`name:${name}`);
}
