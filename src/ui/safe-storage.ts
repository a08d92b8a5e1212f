/**
 * localStorage that never throws. With site data blocked, `localStorage` itself throws a
 * SecurityError on access, and a full quota throws on every write; the page must work
 * either way, only without remembering preferences.
 */
export function readSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** False when the setting could not be kept (site data blocked, quota full). */
export function writeSetting(key: string, value: string): boolean {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** A JSON setting, or `fallback` when absent, unreadable or of another shape. */
export function readJsonSetting<T>(key: string, fallback: T, accept: (value: unknown) => value is T): T {
  const text = readSetting(key);
  if (text === null) return fallback;
  try {
    const value: unknown = JSON.parse(text);
    return accept(value) ? value : fallback;
  } catch {
    return fallback;
  }
}
