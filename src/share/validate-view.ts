/**
 * The one gate for incident views that come from outside: a `#view=` link, a bundle's
 * section comment, marks read back from the browser's storage. Whatever the value, the
 * answer is a view that keeps every limit below (with a notice for each cut), or one
 * sentence naming the first problem. Never an exception.
 *
 * Wrong shape (not an object, a wrong type, a capture index that does not exist, a number
 * that is not finite) is refused. Merely too much (too many marks, a note too long) is cut
 * and said. Missing optional fields get defaults (no `marks`: none). Unknown keys are
 * dropped: the view is rebuilt field by field, so nothing but the schema's own keys and
 * types reaches the page. Text stays data: markup passes through as plain characters (the
 * UI renders text, never HTML), but control characters other than tab and newline, and the
 * bidirectional overrides that can make a note read as something else, are removed.
 */

/**
 * An incident view: which captures (names and content fingerprints, clock offsets), the time
 * window, the filter, the marks with their notes, the selected packet. Never packet bytes.
 */
export interface SharedView {
  v: 1;
  captures: { name: string; fingerprint: string; offsetSec: number }[];
  /** Epoch seconds. */
  window?: { from: number; to: number };
  filter?: string;
  /** `c`: index in `captures`; frames are 1-based in their capture. */
  marks: { c: number; frame: number; note: string }[];
  ranges: { from: number; to: number; label: string; note: string; color?: string }[];
  selected?: { c: number; frame: number };
}

/** Where a view came from: said in every refusal and notice. */
export type ViewSource = 'link' | 'bundle' | 'saved';

export type Validated = { ok: true; view: SharedView; notices: string[] } | { ok: false; error: string };

/** A view's JSON: inflated from a link (bytes), or in a bundle's comments (characters). 100,000 marks without notes fit. */
export const MAX_VIEW_BYTES = 4 * 1024 * 1024;
export const MAX_CAPTURES = 64;
/** Marks and ranges together. */
export const MAX_MARKS = 100_000;
/** Notes and range labels, in characters (UTF-16 code units). */
export const MAX_NOTE_CHARS = 4096;
export const MAX_NAME_CHARS = 1024;
/** The filter compiler's own limit (src/filter/compile.ts, which the page does not load); a test holds them equal. */
export const MAX_FILTER_CHARS = 64 * 1024;
/** Frames are 1-based row numbers, and a capture holds at most 2^32 rows. */
export const MAX_FRAME = 2 ** 32;
/** Clock offsets beyond ten years are no clock's drift. */
export const MAX_OFFSET_SEC = 10 * 366 * 86_400;
/** Epoch seconds of windows and ranges: within about 31,000 years of 1970. */
export const MAX_EPOCH_SEC = 1e12;
/** What Workspace.fingerprint writes: size, packet count, 12 bytes of SHA-256 in hex. */
export const FINGERPRINT = /^\d{1,20}-\d{1,20}-[0-9a-f]{24}$/;
export const COLOR = /^#[0-9a-f]{6}$/;

const OWNER: Record<ViewSource, string> = { link: "this link's", bundle: "this bundle's", saved: "this browser's saved" };
const HOLDER: Record<ViewSource, string> = { link: 'this link', bundle: 'this bundle', saved: "this browser's saved view" };

/** A refusal: the first problem, already in words. */
class Refused {
  constructor(readonly error: string) {}
}

export function validateView(value: unknown, source: ViewSource): Validated {
  try {
    return { ok: true, ...readView(value, source) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.error };
    // A getter or proxy from a caller, or an engine limit: still one sentence, never a throw.
    return { ok: false, error: `${OWNER[source]} view could not be read (${e instanceof Error ? e.name : 'error'})` };
  }
}

function readView(value: unknown, source: ViewSource): { view: SharedView; notices: string[] } {
  const owner = OWNER[source];
  const notices: string[] = [];
  if (!isRecord(value)) throw new Refused(`${owner} view is not a JSON object`);
  const v = own(value, 'v');
  if (v !== 1) throw new Refused(v === undefined ? `${owner} view has no version` : `${owner} view is of version ${shown(v)}, and this page reads version 1`);

  const listed = list(own(value, 'captures'), `${owner} captures`);
  if (listed.length > MAX_CAPTURES) notices.push(`${HOLDER[source]} lists ${count(listed.length)} captures; the first ${MAX_CAPTURES} are used`);
  const captures: SharedView['captures'] = [];
  // An indexed loop, not map: map skips the holes of a sparse list, and holes are no captures.
  for (let i = 0; i < Math.min(listed.length, MAX_CAPTURES); i++) captures.push(capture(listed[i], `${owner} capture ${i + 1}`, notices));
  // A bundle's view, or marks saved under a capture's fingerprint, list no captures: the marks are on the file itself.
  const itself = source !== 'link' && listed.length === 0;
  const usable = itself ? 1 : captures.length;
  const index = { usable, listed: Math.max(listed.length, usable), itself };

  const view: SharedView = { v: 1, captures, marks: [], ranges: [] };
  const window = own(value, 'window');
  if (window !== undefined) view.window = span(window, `${owner} window`);
  const filter = own(value, 'filter');
  if (filter !== undefined) {
    const text = string(filter, `${owner} filter`);
    // A cut filter is another filter: drop it whole rather than apply a prefix.
    if (text.length > MAX_FILTER_CHARS) notices.push(`${owner} filter is longer than ${count(MAX_FILTER_CHARS)} characters; it is not applied`);
    else if (text) view.filter = text;
  }

  const marks = optionalList(own(value, 'marks'), `${owner} marks`);
  const ranges = optionalList(own(value, 'ranges'), `${owner} ranges`);
  const markRoom = Math.min(marks.length, MAX_MARKS);
  const rangeRoom = Math.min(ranges.length, MAX_MARKS - markRoom);
  if (marks.length > markRoom) notices.push(`${HOLDER[source]} holds ${count(marks.length)} marks; the first ${count(markRoom)} are applied`);
  if (ranges.length > rangeRoom)
    notices.push(
      `${HOLDER[source]} holds ${plural(ranges.length, 'range')}; ${rangeRoom ? `the first ${count(rangeRoom)} are` : 'none is'} applied (${count(MAX_MARKS)} marks and ranges in all)`,
    );

  view.marks = readMarks(marks, markRoom, index, source, notices);
  for (let i = 0; i < rangeRoom; i++) view.ranges.push(range(ranges[i], `${owner} range ${i + 1}`, notices));

  const selected = own(value, 'selected');
  if (selected !== undefined) {
    const s = packetRef(selected, `${owner} selected packet`, index);
    if (s) view.selected = s;
    else notices.push(`${owner} selected packet is on a capture past the first ${MAX_CAPTURES}; it is not selected`);
  }
  return { view, notices };
}

/** Marks as the UI keeps them in IndexedDB, under the fingerprint of the capture they are on. */
export interface SavedMarks {
  name: string;
  marks: { frame: number; note: string }[];
  ranges: SharedView['ranges'];
  savedAt: string;
}

export type ValidatedSaved = { ok: true; saved: SavedMarks; notices: string[] } | { ok: false; error: string };

/** A saved record read back from storage, through the same rules as a view (its marks carry no `c`). */
export function validateSavedMarks(value: unknown): ValidatedSaved {
  if (!isRecord(value)) return { ok: false, error: `${OWNER.saved} marks are not an object` };
  const checked = validateView({ v: 1, captures: [], marks: own(value, 'marks'), ranges: own(value, 'ranges') }, 'saved');
  if (!checked.ok) return checked;
  const cuts = { notes: 0 };
  const name = own(value, 'name');
  const savedAt = own(value, 'savedAt');
  return {
    ok: true,
    saved: {
      name: typeof name === 'string' ? cut(name, MAX_NAME_CHARS, cuts) : '',
      marks: checked.view.marks.map((m) => ({ frame: m.frame, note: m.note })),
      ranges: checked.view.ranges,
      // An ISO time; anything else is no time.
      savedAt: typeof savedAt === 'string' && savedAt.length <= 64 ? cut(savedAt, 64, cuts) : '',
    },
    notices: checked.notices,
  };
}

interface CaptureIndex {
  /** Indices below this are captures of the view. */
  usable: number;
  /** Indices below this were listed, maybe past the cut: marks on them are dropped, not refused. */
  listed: number;
  /** The view lists no captures: marks are on the file itself, and may leave out `c`. */
  itself: boolean;
}

function readMarks(marks: unknown[], room: number, index: CaptureIndex, source: ViewSource, notices: string[]): SharedView['marks'] {
  const owner = OWNER[source];
  const out: SharedView['marks'] = [];
  const seen = new Map<number, number>();
  /** The notes already in a merged mark, so the same note twice is kept once. */
  const joined = new Map<number, Set<string>>();
  let merged = 0;
  let dropped = 0;
  const cuts = { notes: 0 };
  for (let i = 0; i < room; i++) {
    const what = `${owner} mark ${i + 1}`;
    const m = marks[i];
    const ref = packetRef(m, what, index);
    const note = text(own(m as Record<string, unknown>, 'note'), `${what}'s note`, MAX_NOTE_CHARS, cuts);
    if (!ref) {
      dropped++;
      continue;
    }
    // c < 64 and frame <= 2^32: one exact number per packet.
    const key = ref.c * (MAX_FRAME + 1) + ref.frame;
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, out.length);
      out.push({ c: ref.c, frame: ref.frame, note });
      continue;
    }
    merged++;
    const kept = out[at];
    const notes = joined.get(key) ?? new Set([kept.note]);
    joined.set(key, notes);
    if (!note || notes.has(note)) continue;
    notes.add(note);
    kept.note = cut(kept.note ? `${kept.note}\n${note}` : note, MAX_NOTE_CHARS, cuts);
  }
  if (cuts.notes)
    notices.push(
      `${count(cuts.notes)} of ${owner} mark notes ${cuts.notes === 1 ? 'is' : 'are'} longer than ${count(MAX_NOTE_CHARS)} characters; the first ${count(MAX_NOTE_CHARS)} of each are kept`,
    );
  if (merged) notices.push(`${HOLDER[source]} marks ${plural(merged, 'packet')} more than once; each is marked once, with the notes joined`);
  if (dropped) notices.push(`${count(dropped)} mark${dropped === 1 ? ' is' : 's are'} on captures past the first ${MAX_CAPTURES} and not applied`);
  return out;
}

function capture(value: unknown, what: string, notices: string[]): SharedView['captures'][number] {
  if (!isRecord(value)) throw new Refused(`${what} is not an object`);
  const cuts = { notes: 0 };
  const name = text(own(value, 'name'), `${what}'s name`, MAX_NAME_CHARS, cuts, true);
  if (cuts.notes) notices.push(`${what}'s name is longer than ${count(MAX_NAME_CHARS)} characters; its first ${count(MAX_NAME_CHARS)} are kept`);
  const fingerprint = own(value, 'fingerprint');
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) throw new Refused(`${what} has no valid content fingerprint`);
  const offset = own(value, 'offsetSec');
  const offsetSec = offset === undefined ? 0 : offset;
  if (typeof offsetSec !== 'number' || !Number.isFinite(offsetSec) || Math.abs(offsetSec) > MAX_OFFSET_SEC)
    throw new Refused(`${what}'s clock offset is not a number of seconds within 10 years`);
  return { name, fingerprint, offsetSec };
}

/** A mark's or the selection's {c, frame}; null when its capture was listed but cut. */
function packetRef(value: unknown, what: string, index: CaptureIndex): { c: number; frame: number } | null {
  if (!isRecord(value)) throw new Refused(`${what} is not an object`);
  const c = own(value, 'c') ?? (index.itself ? 0 : undefined);
  if (!Number.isSafeInteger(c) || (c as number) < 0) throw new Refused(`${what} names no capture (its "c" is not a whole number from 0)`);
  const frame = own(value, 'frame');
  if (!Number.isSafeInteger(frame) || (frame as number) < 1 || (frame as number) > MAX_FRAME)
    throw new Refused(`${what} has no valid frame (frames are whole numbers from 1 to ${count(MAX_FRAME)})`);
  const at = c as number;
  if (at >= index.listed) throw new Refused(`${what} refers to capture ${count(at + 1)}, but the view lists ${plural(index.listed, 'capture')}`);
  return at < index.usable ? { c: at, frame: frame as number } : null;
}

function range(value: unknown, what: string, notices: string[]): SharedView['ranges'][number] {
  if (!isRecord(value)) throw new Refused(`${what} is not an object`);
  const { from, to } = span(value, what);
  const cuts = { notes: 0 };
  const label = text(own(value, 'label'), `${what}'s label`, MAX_NOTE_CHARS, cuts);
  const note = text(own(value, 'note'), `${what}'s note`, MAX_NOTE_CHARS, cuts);
  if (cuts.notes) notices.push(`${what}'s label or note is longer than ${count(MAX_NOTE_CHARS)} characters; the first ${count(MAX_NOTE_CHARS)} are kept`);
  const out: SharedView['ranges'][number] = { from, to, label, note };
  const color = own(value, 'color');
  if (color !== undefined) {
    if (typeof color !== 'string' || !COLOR.test(color.toLowerCase())) throw new Refused(`${what}'s colour is not of the form #rrggbb`);
    out.color = color.toLowerCase();
  }
  return out;
}

function span(value: unknown, what: string): { from: number; to: number } {
  if (!isRecord(value)) throw new Refused(`${what} is not an object`);
  const from = own(value, 'from');
  const to = own(value, 'to');
  if (!isEpoch(from) || !isEpoch(to)) throw new Refused(`${what} does not have "from" and "to" as finite times in seconds`);
  if (from > to) throw new Refused(`${what} ends before it starts`);
  return { from, to };
}

function isEpoch(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_EPOCH_SEC;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Refused(value === undefined ? `${what} are missing` : `${what} are not a list`);
  return value;
}

function optionalList(value: unknown, what: string): unknown[] {
  return value === undefined ? [] : list(value, what);
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Refused(`${what} is not text`);
  return value;
}

/** Optional text (missing: empty), cleaned and cut to `max`; `cuts.notes` counts the cuts. */
function text(value: unknown, what: string, max: number, cuts: { notes: number }, required = false): string {
  if (value === undefined && !required) return '';
  return cut(string(value, what), max, cuts);
}

// C0 controls but tab and newline, DEL, C1, and the bidirectional embeddings, overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control and direction characters are what the pattern removes
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Cut first (a 10 MB note is never scanned whole), then cleaned; a pair split by the cut becomes U+FFFD. */
function cut(s: string, max: number, cuts: { notes: number }): string {
  if (s.length > max) cuts.notes++;
  const kept = s.length > max ? s.slice(0, max) : s;
  return kept.replace(UNSAFE, '').replace(LONE_SURROGATE, '\ufffd');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field of the value itself: `constructor`, `toString` and the like never come from the prototype. */
function own(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
}

function plural(n: number, noun: string): string {
  return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
