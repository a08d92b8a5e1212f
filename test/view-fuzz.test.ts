/**
 * Seeded mutations of valid links and bundle comments: bytes of the JSON, of the deflated
 * stream and of the base64 flipped, inserted and deleted; values swapped for other types;
 * arrays duplicated. Every outcome is a view, a refusal in words, or null; never a throw;
 * each read is quick; and every view that comes out is within the limits and reads back
 * unchanged through the validator (idempotent).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { SeededRandom } from '../kit/random.ts';
import { viewFromComments } from '../src/share/bundle.ts';
import {
  COLOR,
  FINGERPRINT,
  MAX_CAPTURES,
  MAX_EPOCH_SEC,
  MAX_FILTER_CHARS,
  MAX_FRAME,
  MAX_MARKS,
  MAX_NAME_CHARS,
  MAX_NOTE_CHARS,
  MAX_OFFSET_SEC,
  validateView,
  type SharedView,
  type ViewSource,
} from '../src/share/validate-view.ts';
import { readViewFragment } from '../src/share/view-link.ts';
import { FP, validView } from './support/view-corpus.ts';

// Seeded, so every run tries the same mutations.
const rng = new SeededRandom(0x5eed10);
const random = () => rng.float();
const int = (n: number) => rng.int(n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

function seeds(): { view: unknown; source: ViewSource }[] {
  const many: SharedView = {
    ...validView(),
    marks: Array.from({ length: 200 }, (_, i) => ({ c: i % 2, frame: i + 1, note: i % 7 ? '' : `note ${i} é 😀 <b>` })),
    ranges: Array.from({ length: 20 }, (_, i) => ({ from: 1e9 + i, to: 1e9 + i + 1, label: `r${i}`, note: '', color: '#0969da' })),
  };
  const bundle = {
    v: 1,
    captures: [],
    marks: [
      { c: 0, frame: 1, note: 'first' },
      { c: 0, frame: 9, note: '' },
    ],
    ranges: [{ from: 5, to: 6, label: 'x', note: 'y' }],
    selected: { c: 0, frame: 9 },
  };
  return [
    { view: validView(), source: 'link' },
    { view: many, source: 'link' },
    { view: validView(), source: 'bundle' },
    { view: bundle, source: 'bundle' },
  ];
}

const OTHER_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  2 ** 32 + 1,
  1e308,
  -1e308,
  '',
  'x',
  '1',
  '<img src=x onerror=alert(1)>',
  true,
  false,
  [],
  {},
  [[[[]]]],
  { c: 0, frame: 1 },
  'y'.repeat(5000),
  Array(3).fill({ c: 0, frame: 2, note: '' }),
  { __proto__: null },
];

/** Replaces, deletes or duplicates one value somewhere in a copy of the view. */
function mutateValue(view: unknown): unknown {
  const root = structuredClone(view) as Record<string, unknown>;
  let node: unknown = root;
  for (let depth = 0; depth < 4; depth++) {
    const keys = node && typeof node === 'object' ? Object.keys(node) : [];
    if (!keys.length) break;
    const key = pick(keys);
    const parent = node as Record<string, unknown>;
    if (random() < 0.35 || depth === 3) {
      const r = random();
      if (r < 0.6) parent[key] = pick(OTHER_VALUES);
      else if (r < 0.8) delete parent[key];
      else if (Array.isArray(parent[key])) parent[key] = [...(parent[key] as unknown[]), ...(parent[key] as unknown[])];
      else parent[key] = [parent[key], parent[key]];
      return root;
    }
    node = parent[key];
  }
  root[pick(['extra', '__proto__', 'constructor', 'v', 'marks'])] = pick(OTHER_VALUES);
  return root;
}

/** Flips, inserts or deletes a few bytes (or characters, from `alphabet`). */
function mutateBytes(bytes: Uint8Array, alphabet?: string): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + int(4);
  for (let e = 0; e < edits; e++) {
    const at = int(out.length + 1);
    const value = alphabet ? alphabet.charCodeAt(int(alphabet.length)) : int(256);
    const r = random();
    if (r < 0.4 && at < out.length) out[at] = alphabet ? value : out[at] ^ (1 << int(8));
    else if (r < 0.7) out.splice(at, 0, value);
    else out.splice(at, 1 + int(3));
  }
  return Uint8Array.from(out);
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ %';
const JSON_BYTES = '{}[]",:0123456789-.eE \\untrfalse';

function linkOfDeflated(deflated: Uint8Array): string {
  return `#view=${Buffer.from(deflated).toString('base64url')}`;
}

type Read = Awaited<ReturnType<typeof readViewFragment>>;

function checkOutcome(read: Read, source: ViewSource, what: string): 'ok' | 'error' | 'null' {
  if (read === null) return 'null';
  if ('error' in read) {
    assert.equal(typeof read.error, 'string', what);
    assert.match(read.error, /^[A-Z][^\n]*\.$/, `${what}: one sentence`);
    assert.ok(read.error.length < 300, `${what}: short`);
    return 'error';
  }
  checkLimits(read.view, source, what);
  const again = validateView(read.view, source);
  assert.ok(again.ok, `${what}: re-validation refused ${!again.ok && again.error}`);
  assert.deepEqual(again.view, read.view, `${what}: not idempotent`);
  assert.deepEqual(again.notices, [], `${what}: re-validation cut more`);
  return 'ok';
}

function checkLimits(view: SharedView, source: ViewSource, what: string): void {
  const finite = (x: number, max: number) => Number.isFinite(x) && Math.abs(x) <= max;
  assert.equal(view.v, 1, what);
  assert.ok(view.captures.length <= MAX_CAPTURES, what);
  for (const c of view.captures) assert.ok(FINGERPRINT.test(c.fingerprint) && c.name.length <= MAX_NAME_CHARS && finite(c.offsetSec, MAX_OFFSET_SEC), what);
  const captures = source !== 'link' && view.captures.length === 0 ? 1 : view.captures.length;
  const ref = (r: { c: number; frame: number }) =>
    Number.isInteger(r.c) && r.c >= 0 && r.c < captures && Number.isInteger(r.frame) && r.frame >= 1 && r.frame <= MAX_FRAME;
  assert.ok(view.marks.length + view.ranges.length <= MAX_MARKS, what);
  for (const m of view.marks) assert.ok(ref(m) && typeof m.note === 'string' && m.note.length <= MAX_NOTE_CHARS, what);
  for (const r of view.ranges)
    assert.ok(
      finite(r.from, MAX_EPOCH_SEC) &&
        finite(r.to, MAX_EPOCH_SEC) &&
        r.from <= r.to &&
        r.label.length <= MAX_NOTE_CHARS &&
        r.note.length <= MAX_NOTE_CHARS &&
        (r.color === undefined || COLOR.test(r.color)),
      what,
    );
  if (view.window) assert.ok(finite(view.window.from, MAX_EPOCH_SEC) && view.window.from <= view.window.to, what);
  if (view.filter !== undefined) assert.ok(typeof view.filter === 'string' && view.filter.length <= MAX_FILTER_CHARS, what);
  if (view.selected) assert.ok(ref(view.selected), what);
  const keys = new Set(['v', 'captures', 'window', 'filter', 'marks', 'ranges', 'selected']);
  assert.ok(
    Object.keys(view).every((k) => keys.has(k)),
    `${what}: unknown key kept`,
  );
}

test('fuzz: 3,000 seeded mutations of valid links and bundles', async () => {
  const outcomes = { ok: 0, error: 0, null: 0 };
  let slowestMs = 0;
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const started = performance.now();
  const bases = seeds();
  for (let i = 0; i < 3000; i++) {
    const { view, source } = bases[i % bases.length];
    const kind = pick(['value', 'json', 'deflated', 'base64'] as const);
    let json = JSON.stringify(kind === 'value' ? mutateValue(view) : view);
    if (kind === 'json') json = Buffer.from(mutateBytes(Buffer.from(json), random() < 0.5 ? JSON_BYTES : undefined)).toString('utf8');
    const what = `mutation ${i} (${kind}, ${source})`;
    const t = performance.now();
    let read: Read;
    if (source === 'bundle') {
      if (kind === 'deflated' || kind === 'base64') json = Buffer.from(mutateBytes(Buffer.from(json))).toString('latin1');
      read = viewFromComments(['a comment', `packet-timeline-view:${json}`]);
    } else {
      let deflated: Uint8Array = deflateRawSync(Buffer.from(json));
      if (kind === 'deflated') deflated = mutateBytes(deflated);
      let link = linkOfDeflated(deflated);
      if (kind === 'base64') link = `#view=${Buffer.from(mutateBytes(Buffer.from(link.slice(6)), BASE64URL)).toString('latin1')}`;
      read = await readViewFragment(link);
    }
    const ms = performance.now() - t;
    slowestMs = Math.max(slowestMs, ms);
    assert.ok(ms < 200, `${what}: ${ms} ms`);
    outcomes[checkOutcome(read, source, what)]++;
    if (i % 100 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  const growthMB = (Math.max(rssPeak, process.memoryUsage().rss) - rssBefore) / 2 ** 20;
  console.log(
    `fuzz: ${JSON.stringify(outcomes)} in ${((performance.now() - started) / 1000).toFixed(1)} s; slowest read ${slowestMs.toFixed(1)} ms; RSS growth ${growthMB.toFixed(0)} MB`,
  );
  // Both ways out are exercised: a fuzz that only ever refuses (or only accepts) tests little.
  assert.ok(outcomes.ok > 300 && outcomes.error > 300, JSON.stringify(outcomes));
  assert.ok(growthMB < 256, `${growthMB} MB`);
});

test('fuzz: the validator alone, on values of every type at every field', () => {
  const started = performance.now();
  for (let i = 0; i < 3000; i++) {
    let value: unknown = validView();
    for (let n = 1 + int(3); n > 0; n--) value = mutateValue(value);
    const source = pick(['link', 'bundle', 'saved'] as const);
    const checked = validateView(value, source);
    if (checked.ok) checkOutcome({ view: checked.view, notices: checked.notices }, source, `value ${i}`);
    else assert.match(checked.error, /^(this link's|this bundle's|this browser's saved) [^\n]+[^.]$/, `value ${i}`);
  }
  // A view of the other captures' marks is still a view: the fingerprints stay ours.
  assert.ok(FP.every((f) => FINGERPRINT.test(f)));
  assert.ok(performance.now() - started < 5000);
});
