/**
 * An incident view in a URL fragment: JSON, deflated and base64url-encoded, so a view with
 * dozens of marks stays a link a chat window accepts. A link is input from anyone who can
 * paste a URL: its text is capped before decoding, its inflation is capped while it runs,
 * and what it holds goes through validateView like every view from outside.
 */
import { inflateRawBounded } from './bounded-inflate.ts';
import { MAX_VIEW_BYTES, validateView, type SharedView } from './validate-view.ts';
import { parseViewJson, type ViewRead } from './view-json.ts';

export type { SharedView } from './validate-view.ts';

const PREFIX = '#view=';
/** Base64 of MAX_VIEW_BYTES deflated: deflate adds at most 5 bytes per 16 KiB block it cannot shrink. */
export const MAX_LINK_CHARS = 6 * 1024 * 1024;
const MIB = MAX_VIEW_BYTES / 2 ** 20;

/**
 * The fragment for a view, written only if it reads back whole: a view the validator would
 * refuse or cut, or one over MAX_VIEW_BYTES, is an Error with one sentence saying why.
 */
export async function viewToFragment(view: SharedView): Promise<string> {
  const checked = validateView(view, 'link');
  if (!checked.ok) throw new Error(`This view cannot be shared as a link: ${checked.error}.`);
  if (checked.notices.length) throw new Error(`This view cannot be shared whole as a link: ${checked.notices[0]}.`);
  const json = new TextEncoder().encode(JSON.stringify(checked.view));
  if (json.length > MAX_VIEW_BYTES)
    throw new Error(
      `This view cannot be shared as a link: it takes ${(json.length / 2 ** 20).toFixed(1)} MiB, and a link holds at most ${MIB} MiB (fewer marks or shorter notes).`,
    );
  const deflated = await deflateRaw(json);
  return PREFIX + base64url(deflated);
}

/**
 * The view in a location hash: null when the hash holds none, else the view (with what was
 * cut, in words) or why it cannot be read. Never throws.
 */
export async function readViewFragment(hash: string): Promise<ViewRead | null> {
  if (!hash.startsWith(PREFIX)) return null;
  const encoded = hash.slice(PREFIX.length);
  if (encoded.length > MAX_LINK_CHARS)
    return {
      error: `This link is ${(encoded.length / 2 ** 20).toFixed(1)} million characters long; a view link is at most ${MAX_LINK_CHARS / 2 ** 20} million.`,
    };
  const bytes = fromBase64url(encoded);
  if (!bytes) return { error: "This link's view is damaged: it is not base64url text." };
  try {
    const inflated = await inflateRawBounded(bytes, MAX_VIEW_BYTES);
    if ('tooLarge' in inflated) return { error: `This link's view inflates to more than ${MIB} MiB; it is not read.` };
    if ('damaged' in inflated) return { error: "This link's view is damaged: it is not deflated data." };
    return parseViewJson(inflated.bytes, 'link');
  } catch {
    // DecompressionStream missing or refused by the engine: still words, not a throw.
    return { error: "This link's view could not be decompressed in this browser." };
  }
}

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw')));
  return new Uint8Array(await out.arrayBuffer());
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  // In slices: String.fromCharCode of a whole megabyte overflows the argument stack.
  for (let at = 0; at < bytes.length; at += 8192) s += String.fromCharCode(...bytes.subarray(at, at + 8192));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Strict base64url (no padding, no other characters), or null. */
function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  let binary: string;
  try {
    binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
