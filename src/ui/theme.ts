/** Light or dark, from the system unless the user picked one; the canvas reads CSS variables. */
import { readSetting, writeSetting } from './safe-storage.ts';
import type { Theme } from './timeline/draw.ts';

export type ThemeName = 'light' | 'dark';

export function initialTheme(): ThemeName {
  const saved = readSetting('pt-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(name: ThemeName): Theme {
  document.documentElement.dataset.theme = name;
  writeSetting('pt-theme', name);
  const css = getComputedStyle(document.documentElement);
  const v = (n: string) => css.getPropertyValue(n).trim();
  return {
    background: v('--panel'), text: v('--fg'), muted: v('--muted'), grid: v('--grid'), laneBackground: v('--lane'),
    cursor: v('--accent'), hover: v('--hover-line'), window: v('--window'),
  };
}
