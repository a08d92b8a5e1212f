/**
 * The timeline's axis over views of any span: ticks a day or more apart are labelled by date
 * (a merge of captures taken years apart once read `00:00:00` at every tick), finer ones by
 * time of day. Expected labels come from date(1), in the viewer's zone (UTC here).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

process.env.TZ = 'UTC';
const { axisTicks } = await import('../src/ui/timeline/axis-ticks.ts');
const { tickLabel, timeLabel } = await import('../src/ui/timeline/time-labels.ts');

const date = (epochSec: number, format: string) =>
  execFileSync('date', ['-u', '-d', `@${epochSec}`, `+${format}`])
    .toString()
    .trim();

const BASE = 1_210_224_736; // 2008-05-08, a real capture's first second
const VIEWS = [
  { name: 'eight years', spanSec: 8 * 365.25 * 86_400, format: '%F' },
  { name: 'three weeks', spanSec: 21 * 86_400, format: '%F' },
  { name: 'ten hours', spanSec: 10 * 3600, format: '%T' },
  { name: 'a minute', spanSec: 60, format: '%T' },
];

for (const view of VIEWS) {
  test(`axis over ${view.name}: every tick's label is distinct and is date(1)'s`, () => {
    const { times, stepSec } = axisTicks(0, view.spanSec, BASE, 0, 'wall', 10);
    assert.ok(times.length >= 3, `${times.length} ticks`);
    const labels = times.map((t) => tickLabel(t, BASE, 0, 'wall', stepSec));
    assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
    for (const [i, t] of times.entries()) assert.equal(labels[i], date(BASE + t, view.format));
  });
}

test('the cursor names the date once the view spans a day, the time of day alone below', () => {
  const t = 12_345.5;
  assert.equal(timeLabel(t, BASE, 0, 'wall', 1, 2 * 86_400), `${date(BASE + 12_345, '%F %T')}.5`);
  assert.equal(timeLabel(t, BASE, 0, 'wall', 1, 3600), `${date(BASE + 12_345, '%T')}.5`);
  assert.equal(timeLabel(t, BASE, 0, 'relative', 1, 2 * 86_400), '12345.5 s');
});
