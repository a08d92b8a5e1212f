/**
 * An incident bundle: one pcapng holding the marked and ranged packets with their notes as
 * packet comments, and the view itself as JSON in the section header's comments. Wireshark
 * shows the packets and comments (and the view text under Capture File Properties); Packet
 * Timeline restores the view from it with no other file.
 *
 * A pcapng option's length is 16 bits, so a view longer than one comment holds is written
 * as numbered parts of ASCII JSON (non-ASCII escaped, so a part never splits a character):
 *
 *   packet-timeline-view:{"v":1,...}                 one comment, the usual case
 *   packet-timeline-view 1/3:{"v":1,"marks":[{"c"    or parts, joined in order before parsing
 *   packet-timeline-view 2/3:...
 */
import { MAX_VIEW_BYTES, validateView, type SharedView } from './validate-view.ts';
import { parseViewText, type ViewRead } from './view-json.ts';

const MARKER = 'packet-timeline-view:';
const PART = /^packet-timeline-view (\d{1,4})\/(\d{1,4}):/;
/** UTF-8 bytes one pcapng option holds. */
const MAX_COMMENT_BYTES = 0xffff;
/** ASCII characters of JSON per part, leaving room for the part's marker. */
const PART_CHARS = MAX_COMMENT_BYTES - 64;
const MAX_PARTS = Math.ceil(MAX_VIEW_BYTES / PART_CHARS);

/**
 * The section comments that carry a view, each within one pcapng option; an Error with one
 * sentence when the view would not read back whole (refused or cut, or over MAX_VIEW_BYTES).
 */
export function bundleComments(view: SharedView): string[] {
  const json = checkedJson(view);
  const single = MARKER + json;
  if (new TextEncoder().encode(single).length <= MAX_COMMENT_BYTES) return [single];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is every non-ASCII character, escaped on purpose
  const ascii = json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii.length > MAX_VIEW_BYTES) throw tooLarge(ascii.length);
  const n = Math.ceil(ascii.length / PART_CHARS);
  return Array.from({ length: n }, (_, i) => `packet-timeline-view ${i + 1}/${n}:${ascii.slice(i * PART_CHARS, (i + 1) * PART_CHARS)}`);
}

/** The view as one section comment; an Error when it does not fit one pcapng option (use bundleComments). */
export function bundleComment(view: SharedView): string {
  const comments = bundleComments(view);
  if (comments.length > 1) throw new Error(`This view takes ${comments.length} pcapng comments of 64 KiB; it does not fit in one.`);
  return comments[0];
}

/**
 * The view a capture's section comments carry: null when it is not a bundle, else the view
 * (with what was cut, in words) or why it cannot be read. Never throws.
 */
export function viewFromComments(comments: readonly string[]): ViewRead | null {
  const single = comments.find((c) => c.startsWith(MARKER));
  if (single !== undefined) {
    if (single.length - MARKER.length > MAX_VIEW_BYTES) return { error: tooLarge(single.length - MARKER.length).message };
    return parseViewText(single.slice(MARKER.length), 'bundle');
  }
  const parts = comments.filter((c) => PART.test(c));
  return parts.length ? joinParts(parts) : null;
}

function joinParts(parts: string[]): ViewRead {
  const n = Number(PART.exec(parts[0])![2]);
  if (n < 1 || n > MAX_PARTS) return { error: `This bundle's view claims ${n} parts; a view takes at most ${MAX_PARTS}.` };
  const texts: (string | undefined)[] = new Array(n).fill(undefined);
  let total = 0;
  for (const p of parts) {
    const [head, i, of] = PART.exec(p)!;
    if (Number(of) !== n) return { error: `This bundle's view parts disagree on how many there are (${n} and ${Number(of)}).` };
    const at = Number(i) - 1;
    if (at < 0 || at >= n || texts[at] !== undefined) continue;
    texts[at] = p.slice(head.length);
    total += texts[at]!.length;
    if (total > MAX_VIEW_BYTES) return { error: tooLarge(total).message };
  }
  const missing = texts.indexOf(undefined);
  // findIndex skips nothing: holes of `new Array(n)` read as undefined.
  if (missing >= 0) return { error: `This bundle's view is in ${n} parts, but part ${missing + 1} is missing.` };
  return parseViewText(texts.join(''), 'bundle');
}

function checkedJson(view: SharedView): string {
  const checked = validateView(view, 'bundle');
  if (!checked.ok) throw new Error(`This view cannot be written into a bundle: ${checked.error}.`);
  if (checked.notices.length) throw new Error(`This view cannot be written whole into a bundle: ${checked.notices[0]}.`);
  const json = JSON.stringify(checked.view);
  if (json.length > MAX_VIEW_BYTES) throw tooLarge(json.length);
  return json;
}

function tooLarge(chars: number): Error {
  return new Error(`This bundle's view takes ${(chars / 2 ** 20).toFixed(1)} MiB; a view is at most ${MAX_VIEW_BYTES / 2 ** 20} MiB.`);
}
