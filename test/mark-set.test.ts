/**
 * The marks' rules, as the UI applies them: one set per file content (two open copies share
 * it), a view's marks not saved until kept, one saved mark per frame however many copies.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { added, kept, marksFileText, noted, removed, savedSets, toggled, type UiMark } from '../src/ui/marks/mark-set.ts';

const known = new Map([
  [0, { name: 'a.pcap', fingerprint: 'F1' }],
  [1, { name: 'copy of a.pcap', fingerprint: 'F1' }],
  [2, { name: 'b.pcap', fingerprint: 'F2' }],
]);

function mark(capture: number, frame: number, extra: Partial<UiMark> = {}): UiMark {
  const k = known.get(capture)!;
  return {
    capture,
    captureName: k.name,
    fingerprint: k.fingerprint,
    frame,
    note: '',
    timeSec: frame + capture / 10,
    position: frame,
    time: { sec: frame, ns: capture * 100_000_000 },
    ...extra,
  };
}

test('a frame marked in one copy is marked in both, and unmarking it in either removes both', () => {
  let marks = toggled([], [mark(0, 5), mark(1, 5)]);
  assert.equal(marks.length, 2);
  marks = noted(marks, marks[1], 'the ARP reply');
  assert.deepEqual(
    marks.map((m) => m.note),
    ['the ARP reply', 'the ARP reply'],
  );
  assert.deepEqual(toggled(marks, [mark(1, 5)]), []);
  assert.deepEqual(removed(marks, marks[0]), []);
});

test('saved: one mark per frame per file content, ranges once, nothing that came with a view', () => {
  const marks = [mark(0, 5, { note: 'n' }), mark(1, 5, { note: 'n' }), mark(2, 9), mark(2, 11, { fromView: true })];
  const ranges = [
    { fromSec: 1, toSec: 2, label: 'mine', note: '', color: '#000000' },
    { fromSec: 3, toSec: 4, label: 'theirs', note: '', color: '#000000', fromView: true },
  ];
  const sets = savedSets(marks, ranges, known, 1000, 'now');
  assert.deepEqual([...sets.keys()], ['F1', 'F2']);
  assert.deepEqual(sets.get('F1')!.marks, [{ frame: 5, note: 'n' }]);
  assert.deepEqual(sets.get('F2')!.marks, [{ frame: 9, note: '' }]);
  assert.deepEqual(
    sets.get('F1')!.ranges.map((r) => [r.label, r.from]),
    [['mine', 1001]],
  );
  assert.deepEqual(sets.get('F2')!.ranges, []);
  // Kept: the view's mark and range are the user's from now on.
  const all = savedSets(kept(marks), kept(ranges), known, 1000, 'now');
  assert.deepEqual(
    all.get('F2')!.marks.map((m) => m.frame),
    [9, 11],
  );
  assert.equal(all.get('F1')!.ranges.length, 2);
});

test('added keeps existing marks (and their notes) and drops repeats', () => {
  const marks = [mark(0, 1, { note: 'keep' })];
  const more = added(marks, [mark(0, 1), mark(0, 2), mark(0, 2)]);
  assert.deepEqual(
    more.map((m) => [m.frame, m.note]),
    [
      [1, 'keep'],
      [2, ''],
    ],
  );
});

test('the marks file is the CLI export --marks format, times as epoch seconds', () => {
  const text = marksFileText([mark(2, 9, { note: 'x' })], [{ fromSec: 0.5, toSec: 1.25, label: 'r', note: '', color: '#000000' }], 1_600_000_000);
  assert.deepEqual(JSON.parse(text), {
    marks: [{ file: 'b.pcap', frame: 9, note: 'x' }],
    ranges: [{ from: '1600000000.500000', to: '1600000001.250000', label: 'r', note: '' }],
  });
});
