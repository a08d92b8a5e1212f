/**
 * The hostile corpus for views from outside: links, bundle comments and saved marks that are
 * bombs, wrong in type, huge, full of markup, or built to pollute prototypes. Each gives a
 * view within the limits or one sentence with the words asserted; none throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { bundleComment, bundleComments, viewFromComments } from '../src/share/bundle.ts';
import { MAX_FILTER_CHARS as FILTER_LIMIT } from '../src/filter/compile.ts';
import {
  COLOR,
  MAX_CAPTURES,
  MAX_FILTER_CHARS,
  MAX_MARKS,
  MAX_NOTE_CHARS,
  MAX_VIEW_BYTES,
  validateSavedMarks,
  validateView,
  type SharedView,
} from '../src/share/validate-view.ts';
import { MAX_LINK_CHARS, readViewFragment, viewToFragment } from '../src/share/view-link.ts';
import { FP, linkOf, linkOfBytes, linkOfDeflated, validView, zeroBomb } from './support/view-corpus.ts';

type Read = Awaited<ReturnType<typeof readViewFragment>>;

function refused(read: Read, words: RegExp): void {
  assert.ok(read && 'error' in read, `expected a refusal, got ${JSON.stringify(read)?.slice(0, 200)}`);
  assert.match(read.error, words);
  assert.match(read.error, /^[A-Z].*\.$/, 'one sentence');
  assert.ok(read.error.length < 200, 'short');
}

function accepted(read: Read): { view: SharedView; notices: string[] } {
  assert.ok(read && 'view' in read, `expected a view, got ${JSON.stringify(read)?.slice(0, 300)}`);
  return read;
}

function withField(field: string, value: unknown): Record<string, unknown> {
  return { ...validView(), [field]: value };
}

function withMark(mark: unknown): Record<string, unknown> {
  return withField('marks', [validView().marks[0], mark]);
}

async function measured<T>(run: () => Promise<T>): Promise<{ result: T; ms: number; peakGrowthMB: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1);
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, ms, peakGrowthMB: (peak - before) / 2 ** 20 };
}

test("a shared view's filter limit is the filter compiler's: a view never carries a filter that cannot compile for its length", () => {
  assert.equal(MAX_FILTER_CHARS, FILTER_LIMIT);
});

test('bombs: a link inflating to a gigabyte is refused within a few MB and well under 2 s', async () => {
  for (const mib of [300, 1024]) {
    const deflated = zeroBomb(mib);
    const { result, ms, peakGrowthMB } = await measured(() => readViewFragment(linkOfDeflated(deflated)));
    console.log(`bomb of ${(deflated.length / 1024).toFixed(0)} KB -> ${mib} MiB: ${ms.toFixed(0)} ms, peak RSS growth ${peakGrowthMB.toFixed(1)} MB`);
    refused(result, /inflates to more than 4 MiB/);
    assert.ok(ms < 2000, `${ms} ms`);
    assert.ok(peakGrowthMB < 64, `${peakGrowthMB} MB`);
  }
});

test('bombs: JSON that is valid up to the cap, and a link too long to decode', async () => {
  const json = Buffer.from(`{"v":1,"captures":[],"filter":"${' '.repeat(MAX_VIEW_BYTES)}"}`);
  refused(await readViewFragment(linkOfBytes(json)), /inflates to more than 4 MiB/);
  refused(await readViewFragment(`#view=${'A'.repeat(MAX_LINK_CHARS + 4)}`), /million characters long; a view link is at most 6 million/);
  refused(
    await readViewFragment(linkOf({ ...validView(), marks: Array.from({ length: 1_000_000 }, (_, i) => ({ c: 0, frame: i + 1, note: '' })) })),
    /inflates to more than 4 MiB/,
  );
});

test('encoding: base64, deflate, UTF-8 and JSON damage each say which', async () => {
  assert.equal(await readViewFragment(''), null);
  assert.equal(await readViewFragment('#marks'), null);
  for (const bad of ['#view=abc$', '#view=ab+/', '#view=A', '#view=ab cd', '#view=%41%41']) refused(await readViewFragment(bad), /not base64url text/);
  for (const bad of ['#view=AAAA', `#view=${Buffer.from('definitely not deflate').toString('base64url')}`])
    refused(await readViewFragment(bad), /not deflated data/);
  const truncated = deflateRawSync(Buffer.from(JSON.stringify(validView()))).subarray(0, 20);
  refused(await readViewFragment(linkOfDeflated(truncated)), /not deflated data/);
  refused(await readViewFragment(linkOfBytes(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))), /not UTF-8 text/);
  refused(await readViewFragment(linkOfBytes(Uint8Array.of(0xed, 0xa0, 0x80))), /not UTF-8 text/);
  for (const text of ['hello', '{"v":1,', '{v:1}', '']) refused(await readViewFragment(linkOf(text)), /view is not JSON/);
  for (const text of ['[1,2]', 'null', '3', '"x"', 'true']) refused(await readViewFragment(linkOf(text)), /view is not a JSON object/);
});

test('deep nesting: a million nested lists anywhere, and an engine that gives up with a RangeError', async () => {
  const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
  refused(await readViewFragment(linkOf(deep)), /view is not a JSON object/);
  refused(await readViewFragment(linkOf(`{"v":1,"captures":[],"marks":[${deep}]}`)), /mark 1 is not an object/);
  refused(await readViewFragment(linkOf(`{"v":1,"captures":${deep}}`)), /capture 1 is not an object/);
  const parse = JSON.parse;
  JSON.parse = () => {
    throw new RangeError('Maximum call stack size exceeded');
  };
  try {
    refused(await readViewFragment(linkOf(validView())), /nested too deeply to read/);
  } finally {
    JSON.parse = parse;
  }
});

test('wrong types: every structural problem is refused, naming the field', async () => {
  const cases: [unknown, RegExp][] = [
    [{ ...validView(), v: undefined }, /^This link's view has no version\.$/],
    [withField('v', 2), /view is of version 2, and this page reads version 1/],
    [withField('v', '1'), /view is of version "1"/],
    [withField('captures', undefined), /^This link's captures are missing\.$/],
    [withField('captures', {}), /^This link's captures are not a list\.$/],
    [withField('captures', 'a.pcap'), /captures are not a list/],
    [withField('captures', [null]), /^This link's capture 1 is not an object\.$/],
    [withField('captures', [{ name: 'a', fingerprint: 'abc', offsetSec: 0 }]), /capture 1 has no valid content fingerprint/],
    [withField('captures', [{ name: 'a', fingerprint: `${FP[0]}0`, offsetSec: 0 }]), /capture 1 has no valid content fingerprint/],
    [withField('captures', [{ name: 7, fingerprint: FP[0], offsetSec: 0 }]), /capture 1's name is not text/],
    [withField('captures', [{ fingerprint: FP[0] }]), /capture 1's name is not text/],
    [withField('captures', [{ name: 'a', fingerprint: FP[0], offsetSec: 1e12 }]), /capture 1's clock offset is not a number of seconds within 10 years/],
    [withField('captures', [{ name: 'a', fingerprint: FP[0], offsetSec: 'NaN' }]), /clock offset is not a number/],
    [withField('captures', [{ name: 'a', fingerprint: FP[0], offsetSec: null }]), /clock offset is not a number/],
    [withField('marks', {}), /^This link's marks are not a list\.$/],
    [withField('marks', 'x'), /^This link's marks are not a list\.$/],
    [withField('marks', 3), /marks are not a list/],
    [withField('marks', null), /marks are not a list/],
    [withField('ranges', { 0: {} }), /^This link's ranges are not a list\.$/],
    [withField('ranges', null), /ranges are not a list/],
    [withMark(null), /^This link's mark 2 is not an object\.$/],
    [withMark([0, 1]), /mark 2 is not an object/],
    [withMark({ c: 0, frame: 0 }), /^This link's mark 2 has no valid frame \(frames are whole numbers from 1 to 4,294,967,296\)\.$/],
    [withMark({ c: 0, frame: -1 }), /mark 2 has no valid frame/],
    [withMark({ c: 0, frame: 1.5 }), /mark 2 has no valid frame/],
    [withMark({ c: 0, frame: 'NaN' }), /mark 2 has no valid frame/],
    [withMark({ c: 0, frame: '3' }), /mark 2 has no valid frame/],
    [withMark({ c: 0, frame: 2 ** 32 + 1 }), /mark 2 has no valid frame/],
    [withMark({ c: 0 }), /mark 2 has no valid frame/],
    [withMark({ c: -1, frame: 1 }), /mark 2 names no capture/],
    [withMark({ c: '0', frame: 1 }), /mark 2 names no capture/],
    [withMark({ frame: 1 }), /mark 2 names no capture/],
    [withMark({ c: 4, frame: 1 }), /^This link's mark 2 refers to capture 5, but the view lists 2 captures\.$/],
    [withMark({ c: 0, frame: 1, note: 5 }), /mark 2's note is not text/],
    [withMark({ c: 0, frame: 1, note: { toString: 'x' } }), /mark 2's note is not text/],
    [withField('selected', { c: 2, frame: 1 }), /selected packet refers to capture 3, but the view lists 2 captures/],
    [withField('selected', 'frame 4'), /selected packet is not an object/],
    [withField('window', { from: 10, to: 5 }), /^This link's window ends before it starts\.$/],
    [withField('window', { from: 'a', to: 5 }), /window does not have "from" and "to" as finite times in seconds/],
    [withField('window', [1, 2]), /window is not an object/],
    [withField('window', { from: 0, to: 1e13 }), /window does not have "from" and "to" as finite times/],
    [withField('filter', ['tcp']), /^This link's filter is not text\.$/],
    [withField('ranges', [{ from: 1, to: 2, label: 'x', note: '', color: 'red' }]), /^This link's range 1's colour is not of the form #rrggbb\.$/],
    [withField('ranges', [{ from: 1, to: 2, label: 'x', note: '', color: '#fff;background:url(//evil)' }]), /range 1's colour is not of the form #rrggbb/],
    [withField('ranges', [{ from: 1, to: 2, label: 'x', note: '', color: 'expression(alert(1))' }]), /colour is not of the form/],
    [withField('ranges', [{ from: 2, to: 1, label: 'x', note: '' }]), /range 1 ends before it starts/],
    [withField('ranges', [{ from: 1, to: 2, label: ['x'], note: '' }]), /range 1's label is not text/],
    [withField('ranges', [7]), /range 1 is not an object/],
  ];
  for (const [value, words] of cases) refused(await readViewFragment(linkOf(value)), words);
  // Numbers JSON cannot hold as finite: 1e400 parses as Infinity.
  const json = JSON.stringify(validView());
  refused(await readViewFragment(linkOf(json.replace('"offsetSec":0', '"offsetSec":1e400'))), /clock offset is not a number/);
  refused(await readViewFragment(linkOf(json.replace('"frame":1,', '"frame":1e400,'))), /mark 1 has no valid frame/);
  refused(await readViewFragment(linkOf(json.replace('"from":1700000000,', '"from":-1e400,'))), /window does not have "from" and "to" as finite times/);
});

test('defaults: no marks, no ranges, no optional fields; unknown keys are dropped', async () => {
  const { view, notices } = accepted(await readViewFragment(linkOf({ v: 1, captures: [{ name: 'a.pcap', fingerprint: FP[0] }], extra: { deep: [1] } })));
  assert.deepEqual(view, { v: 1, captures: [{ name: 'a.pcap', fingerprint: FP[0], offsetSec: 0 }], marks: [], ranges: [] });
  assert.deepEqual(notices, []);
  const noisy = {
    ...validView(),
    script: '<script>',
    marks: [{ c: 0, frame: 1, note: 'n', onclick: 'x', style: 'color:red' }],
    ranges: [{ from: 1, to: 2, label: 'l', note: '', href: 'javascript:alert(1)' }],
  };
  const read = accepted(await readViewFragment(linkOf(noisy)));
  assert.deepEqual(read.view.marks, [{ c: 0, frame: 1, note: 'n' }]);
  assert.deepEqual(read.view.ranges, [{ from: 1, to: 2, label: 'l', note: '' }]);
  assert.equal('script' in read.view, false);
  // Upper-case colours are read as the same colour.
  const colour = accepted(await readViewFragment(linkOf(withField('ranges', [{ from: 1, to: 2, label: '', note: '', color: '#CF222E' }]))));
  assert.equal(colour.view.ranges[0].color, '#cf222e');
});

test('prototype keys: __proto__ and constructor are data, never fields or prototypes', async () => {
  const text = `{"v":1,"captures":[],"__proto__":{"marks":[{"c":0,"frame":9}],"polluted":true},"constructor":{"prototype":{"polluted":true}},"marks":[{"c":0,"frame":1,"__proto__":{"note":"from the prototype"}}]}`;
  const { view } = accepted(viewFromComments([`packet-timeline-view:${text}`]));
  assert.deepEqual(view.marks, [{ c: 0, frame: 1, note: '' }]);
  assert.equal(Object.getPrototypeOf(view), Object.prototype);
  assert.equal(Object.hasOwn(view, '__proto__'), false);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  // Holes in a list (storage, not JSON, can hold them) are missing entries, not skipped ones.
  // biome-ignore lint/suspicious/noSparseArray: a hole is the hostile input under test
  assert.deepEqual(validateView({ v: 1, captures: [, { name: 'a', fingerprint: FP[0] }] }, 'saved'), {
    ok: false,
    error: "this browser's saved capture 1 is not an object",
  });
  // Inherited fields never count: a view whose prototype holds the marks has none.
  const inherited = Object.create({ v: 1, captures: [], marks: 'not a list' });
  assert.deepEqual(validateView(inherited, 'link'), { ok: false, error: "this link's view has no version" });
  // A getter that throws is a refusal too.
  const hostile = {
    v: 1,
    get captures() {
      throw new Error('boom');
    },
  };
  assert.deepEqual(validateView(hostile, 'saved'), { ok: false, error: "this browser's saved view could not be read (Error)" });
});

test('markup is plain text: HTML, CSS and script URLs pass through as characters', async () => {
  const hostile = [
    '<img src=x onerror=alert(1)>',
    '</style><script>alert(1)</script>',
    'javascript:alert(1)',
    '"><svg onload=alert(1)>',
    '{{constructor.constructor("alert(1)")()}}',
    '*/ body { display: none } /*',
  ];
  for (const h of hostile) {
    const value = {
      ...validView(),
      captures: [{ name: h, fingerprint: FP[0], offsetSec: 0 }],
      filter: h,
      marks: [{ c: 0, frame: 1, note: h }],
      ranges: [{ from: 1, to: 2, label: h, note: h }],
      selected: { c: 0, frame: 1 },
    };
    const { view, notices } = accepted(await readViewFragment(linkOf(value)));
    assert.equal(view.captures[0].name, h);
    assert.equal(view.filter, h);
    assert.equal(view.marks[0].note, h);
    assert.equal(view.ranges[0].label, h);
    assert.deepEqual(notices, []);
  }
});

test('control characters and bidirectional overrides are removed; tabs, newlines and emoji stay', async () => {
  const note = 'a\u0000b\u0007c\u001b[31md\u007fe\u0085f\u202eg\u2066h\ti\nj 😀 é';
  const { view } = accepted(await readViewFragment(linkOf(withMark({ c: 1, frame: 3, note }))));
  assert.equal(view.marks[1].note, 'abc[31mdefgh\ti\nj 😀 é');
  // A lone surrogate (valid JSON escapes, not a character) becomes U+FFFD.
  const { view: lone } = accepted(await readViewFragment(linkOf(JSON.stringify(validView()).replace('"SYN"', '"x\\ud800y"'))));
  assert.equal(lone.marks[0].note, 'x\ufffdy');
});

test('limits: over-long notes, labels, names and filters are cut (or dropped) with a notice', async () => {
  const long = 'n'.repeat(3 * 1024 * 1024);
  const value = {
    ...validView(),
    captures: [{ name: 'x'.repeat(5000), fingerprint: FP[0], offsetSec: 0 }],
    filter: `${'tcp or '.repeat(10_000)}udp`,
    marks: [
      { c: 0, frame: 1, note: long },
      { c: 0, frame: 2, note: 'short' },
    ],
    ranges: [{ from: 1, to: 2, label: 'l'.repeat(4097), note: '' }],
    selected: { c: 0, frame: 1 },
  };
  const { view, notices } = accepted(await readViewFragment(linkOf(value)));
  assert.equal(view.marks[0].note.length, MAX_NOTE_CHARS);
  assert.equal(view.marks[1].note, 'short');
  assert.equal(view.ranges[0].label.length, MAX_NOTE_CHARS);
  assert.equal(view.captures[0].name.length, 1024);
  assert.equal(view.filter, undefined);
  assert.deepEqual(notices, [
    "This link's capture 1's name is longer than 1,024 characters; its first 1,024 are kept.",
    "This link's filter is longer than 65,536 characters; it is not applied.",
    "1 of this link's mark notes is longer than 4,096 characters; the first 4,096 of each are kept.",
    "This link's range 1's label or note is longer than 4,096 characters; the first 4,096 are kept.",
  ]);
  // A 10 MB note cannot arrive by link or bundle (over 4 MiB), and is cut where it can.
  const tenMB = 'm'.repeat(10 * 1024 * 1024);
  refused(await readViewFragment(linkOf(withMark({ c: 0, frame: 2, note: tenMB }))), /inflates to more than 4 MiB/);
  refused(
    viewFromComments([`packet-timeline-view:${JSON.stringify(withMark({ c: 0, frame: 2, note: tenMB }))}`]),
    /^This bundle's view takes 10\.0 MiB; a view is at most 4 MiB\.$/,
  );
  const direct = validateView(withMark({ c: 0, frame: 2, note: tenMB }), 'saved');
  assert.ok(direct.ok);
  assert.equal(direct.view.marks[1].note.length, MAX_NOTE_CHARS);
});

test('a million marks are cut to 100,000 in well under a second, and 100,000 notes of 4 KB are kept', () => {
  const million = Array.from({ length: 1_000_000 }, (_, i) => ({ c: i % 2, frame: i + 1, note: '' }));
  let started = performance.now();
  const cut = validateView({ ...validView(), marks: million }, 'link');
  const millionMs = performance.now() - started;
  assert.ok(cut.ok);
  assert.equal(cut.view.marks.length, MAX_MARKS);
  assert.equal(cut.view.ranges.length, 0);
  assert.deepEqual(cut.notices, [
    'this link holds 1,000,000 marks; the first 100,000 are applied',
    'this link holds 1 range; none is applied (100,000 marks and ranges in all)',
  ]);
  const note = `${'<b>'.repeat(MAX_NOTE_CHARS / 3)}x`;
  const notes = Array.from({ length: MAX_MARKS }, (_, i) => ({ c: 0, frame: i + 1, note }));
  started = performance.now();
  const kept = validateView({ ...validView(), marks: notes, ranges: [] }, 'bundle');
  const notesMs = performance.now() - started;
  assert.ok(kept.ok);
  assert.equal(kept.view.marks.length, MAX_MARKS);
  assert.equal(kept.view.marks[MAX_MARKS - 1].note, note);
  assert.deepEqual(kept.notices, []);
  console.log(`1,000,000 marks validated and cut in ${millionMs.toFixed(0)} ms; 100,000 notes of 4 KB in ${notesMs.toFixed(0)} ms`);
  assert.ok(millionMs < 1000, `${millionMs} ms`);
  assert.ok(notesMs < 3000, `${notesMs} ms`);
});

test('duplicates are merged; marks and ranges share the 100,000', () => {
  const marks = [
    { c: 0, frame: 5, note: 'first' },
    { c: 0, frame: 5, note: 'second' },
    { c: 1, frame: 5, note: 'other capture' },
    { c: 0, frame: 5, note: 'first' },
    { c: 0, frame: 5, note: '' },
  ];
  const merged = validateView({ ...validView(), marks }, 'link');
  assert.ok(merged.ok);
  assert.deepEqual(merged.view.marks, [
    { c: 0, frame: 5, note: 'first\nsecond' },
    { c: 1, frame: 5, note: 'other capture' },
  ]);
  assert.deepEqual(merged.notices, ['this link marks 3 packets more than once; each is marked once, with the notes joined']);
  const ranges = Array.from({ length: 10 }, () => ({ from: 1, to: 2, label: '', note: '' }));
  const shared = validateView({ ...validView(), marks: Array.from({ length: MAX_MARKS - 4 }, (_, i) => ({ c: 0, frame: i + 1 })), ranges }, 'link');
  assert.ok(shared.ok);
  assert.equal(shared.view.marks.length + shared.view.ranges.length, MAX_MARKS);
  assert.deepEqual(shared.notices, ['this link holds 10 ranges; the first 4 are applied (100,000 marks and ranges in all)']);
});

test('more than 64 captures: the first 64 are used, and marks on the others are dropped with a notice', () => {
  const captures = Array.from({ length: 70 }, (_, i) => ({ name: `c${i}.pcap`, fingerprint: FP[i % 2], offsetSec: 0 }));
  const read = validateView(
    {
      v: 1,
      captures,
      marks: [
        { c: 63, frame: 1 },
        { c: 65, frame: 1 },
      ],
      ranges: [],
      selected: { c: 69, frame: 2 },
    },
    'link',
  );
  assert.ok(read.ok);
  assert.equal(read.view.captures.length, MAX_CAPTURES);
  assert.deepEqual(read.view.marks, [{ c: 63, frame: 1, note: '' }]);
  assert.equal(read.view.selected, undefined);
  assert.deepEqual(read.notices, [
    'this link lists 70 captures; the first 64 are used',
    '1 mark is on captures past the first 64 and not applied',
    "this link's selected packet is on a capture past the first 64; it is not selected",
  ]);
  assert.deepEqual(validateView({ v: 1, captures, marks: [{ c: 70, frame: 1 }] }, 'link'), {
    ok: false,
    error: "this link's mark 1 refers to capture 71, but the view lists 70 captures",
  });
});

test('bundles: the same corpus through section comments, in one comment or in parts', () => {
  assert.equal(viewFromComments([]), null);
  assert.equal(viewFromComments(['made with tcpdump', 'packet-timeline is nice']), null);
  const comment = (value: unknown) => `packet-timeline-view:${typeof value === 'string' ? value : JSON.stringify(value)}`;
  refused(viewFromComments([comment(withField('marks', {}))]), /^This bundle's marks are not a list\.$/);
  refused(viewFromComments([comment(withField('ranges', 'x'))]), /^This bundle's ranges are not a list\.$/);
  refused(viewFromComments([comment(withMark({ c: 4, frame: 1 }))]), /^This bundle's mark 2 refers to capture 5, but the view lists 2 captures\.$/);
  refused(viewFromComments([comment('{"v":1')]), /^This bundle's view is not JSON\.$/);
  refused(viewFromComments([comment('[]')]), /not a JSON object/);
  // A bundle's own view lists no captures: its marks are on the bundle's packets (capture 0 only).
  const own = { v: 1, captures: [], marks: [{ c: 0, frame: 3, note: 'x' }], ranges: [] };
  assert.deepEqual(accepted(viewFromComments(['other', comment(own)])).view, own);
  refused(viewFromComments([comment({ ...own, marks: [{ c: 1, frame: 3 }] })]), /mark 1 refers to capture 2, but the view lists 1 capture\./);
  // Parts: missing, disagreeing, too many.
  const big: SharedView = { v: 1, captures: [], marks: Array.from({ length: 4000 }, (_, i) => ({ c: 0, frame: i + 1, note: `é ${i} 😀` })), ranges: [] };
  const parts = bundleComments(big);
  assert.ok(parts.length > 1 && parts.every((p) => Buffer.byteLength(p) <= 0xffff));
  assert.deepEqual(accepted(viewFromComments([...parts].reverse())).view, big);
  refused(viewFromComments(parts.slice(1)), /^This bundle's view is in \d parts, but part 1 is missing\.$/);
  refused(viewFromComments([parts[0], parts[1].replace(/ 2\/\d:/, ' 2/9:')]), /parts disagree on how many there are/);
  refused(viewFromComments(['packet-timeline-view 1/9999:{}']), /claims 9999 parts; a view takes at most 65/);
  assert.throws(() => bundleComment(big), /does not fit in one/);
});

test('saved marks: the same rules for what comes back from IndexedDB', () => {
  assert.deepEqual(validateSavedMarks(null), { ok: false, error: "this browser's saved marks are not an object" });
  assert.deepEqual(validateSavedMarks({ name: 'a', marks: {}, ranges: [] }), { ok: false, error: "this browser's saved marks are not a list" });
  assert.deepEqual(validateSavedMarks({ name: 'a', marks: [{ frame: 0 }] }), {
    ok: false,
    error: "this browser's saved mark 1 has no valid frame (frames are whole numbers from 1 to 4,294,967,296)",
  });
  assert.deepEqual(validateSavedMarks({ name: 'a', marks: [], ranges: [{ from: 1, to: 2, label: '', note: '', color: 'url(x)' }] }), {
    ok: false,
    error: "this browser's saved range 1's colour is not of the form #rrggbb",
  });
  const ok = validateSavedMarks({
    name: 'a.pcap',
    marks: [
      { frame: 2, note: '<b>hi</b>' },
      { frame: 2, note: '' },
    ],
    ranges: [{ from: 1, to: 2, label: 'x', note: '' }],
    savedAt: '2026-01-01T00:00:00.000Z',
    junk: 1,
  });
  assert.deepEqual(ok, {
    ok: true,
    saved: {
      name: 'a.pcap',
      marks: [{ frame: 2, note: '<b>hi</b>' }],
      ranges: [{ from: 1, to: 2, label: 'x', note: '' }],
      savedAt: '2026-01-01T00:00:00.000Z',
    },
    notices: ["this browser's saved view marks 1 packet more than once; each is marked once, with the notes joined"],
  });
  assert.deepEqual(validateSavedMarks({}), { ok: true, saved: { name: '', marks: [], ranges: [], savedAt: '' }, notices: [] });
});

test('round trip: what we write reads back the same, and what would not is refused in words', async () => {
  const view = validView();
  const link = await viewToFragment(view);
  assert.deepEqual(accepted(await readViewFragment(link)), { view, notices: [] });
  assert.deepEqual(accepted(viewFromComments([bundleComment(view)])), { view, notices: [] });
  // The most a link holds: 100,000 marks without notes.
  const most: SharedView = { ...view, marks: Array.from({ length: MAX_MARKS - 1 }, (_, i) => ({ c: i % 2, frame: i + 1, note: '' })) };
  const mostLink = await viewToFragment(most);
  assert.deepEqual(accepted(await readViewFragment(mostLink)).view, most);
  assert.deepEqual(accepted(viewFromComments(bundleComments(most))).view, most);
  await assert.rejects(
    viewToFragment({ ...view, marks: Array.from({ length: MAX_MARKS + 1 }, (_, i) => ({ c: 0, frame: i + 1, note: '' })) }),
    /^Error: This view cannot be shared whole as a link: this link holds 100,001 marks; the first 100,000 are applied\.$/,
  );
  await assert.rejects(
    viewToFragment({ ...view, marks: Array.from({ length: 50_000 }, (_, i) => ({ c: 0, frame: i + 1, note: 'x'.repeat(100) })) }),
    /takes 6\.\d MiB, and a link holds at most 4 MiB/,
  );
  await assert.rejects(
    viewToFragment({ ...view, marks: [{ c: 3, frame: 1, note: '' }] }),
    /cannot be shared as a link: this link's mark 1 refers to capture 4/,
  );
  assert.throws(() => bundleComments({ ...view, window: { from: NaN, to: 1 } }), /cannot be written into a bundle: this bundle's window does not have/);
  assert.ok(view.ranges.every((r) => !r.color || COLOR.test(r.color)));
});
