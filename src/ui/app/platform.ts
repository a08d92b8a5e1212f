/**
 * What the viewer model needs of the page around it, so that Node can run the model: the
 * browser's implementations are in browser-platform.ts; tests pass their own.
 */
import type { Stored, SavedMarks } from '../marks/marks-storage.ts';
import type { ThemeName } from '../theme.ts';
import type { Theme } from '../timeline/draw.ts';

export interface Platform {
  /** Small preferences (localStorage in the browser): never throws; false when not kept. */
  readSetting(key: string): string | null;
  writeSetting(key: string, value: string): boolean;
  /** Marks by capture fingerprint (IndexedDB in the browser). */
  loadMarks(fingerprint: string): Promise<Stored<unknown>>;
  saveMarks(fingerprint: string, saved: SavedMarks): Promise<Stored<void>>;
  fingerprintForName(name: string): Promise<string | undefined>;
  /** The demo capture's file, fetched from this page's own server. */
  fetchDemo(): Promise<File>;
  download(blob: Blob, fileName: string): void;
  /** File System Access where offered: undefined when not, null when the user closed the dialog. */
  pickSaveFile(suggestedName: string): Promise<FileSystemFileHandle | null | undefined>;
  canPickFile(): boolean;
  copyText(text: string): void;
  /** The address bar's fragment, and writing a new one (returns the whole link). */
  readHash(): string;
  writeHash(fragment: string): string;
  /** Applies a theme to the page and returns the colours the canvas draws with. */
  applyTheme(name: ThemeName): Theme;
  prefersDark(): boolean;
}
