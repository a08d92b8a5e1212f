/** Light or dark (the model picks: the user's choice, else the system's); the canvas reads CSS variables. */
import { writeSetting } from './safe-storage.ts';
import type { Theme } from './timeline/draw.ts';

export type ThemeName = 'light' | 'dark';

export function applyTheme(name: ThemeName): Theme {
  document.documentElement.dataset.theme = name;
  writeSetting('pt-theme', name);
  const css = getComputedStyle(document.documentElement);
  const v = (n: string) => css.getPropertyValue(n).trim();
  return {
    background: v('--panel'),
    text: v('--fg'),
    muted: v('--muted'),
    grid: v('--grid'),
    laneBackground: v('--lane'),
    cursor: v('--accent'),
    hover: v('--hover-line'),
    window: v('--window'),
  };
}
