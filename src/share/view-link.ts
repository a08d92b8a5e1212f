/**
 * An incident view in a URL fragment: which captures (names and content fingerprints, clock
 * offsets), the time window, the filter, the marks with their notes, the selected packet.
 * Never packet bytes. JSON, deflated and base64url-encoded, so a view with dozens of marks
 * stays a link a chat window accepts.
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

const PREFIX = '#view=';

export async function viewToFragment(view: SharedView): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(view));
  const deflated = await transform(json, new CompressionStream('deflate-raw'));
  return PREFIX + base64url(deflated);
}

/** The view in a location hash, or null when it holds none (or one that does not decode). */
export async function viewFromFragment(hash: string): Promise<SharedView | null> {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const bytes = fromBase64url(hash.slice(PREFIX.length));
    const json = new TextDecoder().decode(await transform(bytes, new DecompressionStream('deflate-raw')));
    const view = JSON.parse(json) as SharedView;
    return view.v === 1 && Array.isArray(view.captures) ? view : null;
  } catch {
    return null;
  }
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const s = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
