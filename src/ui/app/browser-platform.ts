/** The page around the model, in the browser. */
import { download, canPickFile, pickSaveFile } from '../download.ts';
import { fingerprintForName, loadMarks, saveMarks } from '../marks/marks-storage.ts';
import { readSetting, writeSetting } from '../safe-storage.ts';
import { applyTheme } from '../theme.ts';
import type { Platform } from './platform.ts';

const DEMO_URL = 'demo/field-story-1.pcap.gz';

export const browserPlatform: Platform = {
  readSetting,
  writeSetting,
  loadMarks,
  saveMarks,
  fingerprintForName,
  async fetchDemo() {
    const response = await fetch(DEMO_URL);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return new File([await response.blob()], 'field-story-1.pcap.gz');
  },
  download,
  pickSaveFile,
  canPickFile,
  copyText: (text) => void navigator.clipboard?.writeText(text).catch(() => {}),
  readHash: () => location.hash,
  writeHash(fragment) {
    history.replaceState(null, '', fragment);
    return location.href;
  },
  applyTheme,
  prefersDark: () => matchMedia('(prefers-color-scheme: dark)').matches,
};
