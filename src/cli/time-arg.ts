/** Times given to the CLI (`--from`, `--to`, marks-file ranges). */
import type { Instant } from '../analysis/findings/finding.ts';
import { InputError } from './input-error.ts';

/** `2017-12-05T05:12:51.447649Z` (as `stats` prints) or epoch seconds `1512450771.447649`, to the ns. */
export function parseTime(text: string): Instant {
  const epoch = /^(-?\d{1,15})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (epoch) return { sec: Number(epoch[1]), ns: Number((epoch[2] ?? '').padEnd(9, '0')) };
  const iso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text.trim());
  const ms = iso ? Date.parse(`${iso[1]}Z`) : NaN;
  if (!iso || Number.isNaN(ms)) throw new InputError(`time "${text.slice(0, 80)}": expected 2017-12-05T05:12:51.447649Z or epoch seconds`);
  return { sec: ms / 1000, ns: Number((iso[2] ?? '').padEnd(9, '0')) };
}
