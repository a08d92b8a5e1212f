// Byte helpers for building frames: big-endian integers, text, and addresses written as
// strings or passed through as bytes. Pure functions with no Node APIs, so browser-side
// tests can use them too.

/** An address as text ('aa:bb:..', '192.0.2.1', '2001:db8::1') or as its bytes. */
export type Addr = string | Uint8Array;

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function u16(v: number): Uint8Array {
  return new Uint8Array([(v >>> 8) & 0xff, v & 0xff]);
}

export function u32(v: number): Uint8Array {
  return new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** Writes `v` big-endian at `off`. */
export function setU16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

/** 'aa:bb:cc:dd:ee:ff' (any number of colon-separated hex octets), or the bytes themselves. */
export function mac(a: Addr): Uint8Array {
  if (typeof a !== 'string') return a;
  return a === '' ? new Uint8Array(0) : Uint8Array.from(a.split(':'), (h) => parseInt(h, 16));
}

export function ipv4Addr(a: Addr): Uint8Array {
  if (typeof a !== 'string') return checkedLength(a, 4);
  const parts = a.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`bad IPv4 address ${a}`);
  }
  return Uint8Array.from(parts);
}

export function ipv6Addr(a: Addr): Uint8Array {
  if (typeof a !== 'string') return checkedLength(a, 16);
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const groups = (str: string) => (str === '' ? [] : str.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) throw new Error(`bad IPv6 address ${a}`);
  return concat(...all.map(u16));
}

/** An IPv4 or IPv6 address: text with a colon, or 16 bytes, is IPv6. */
export function ipAddr(a: Addr): Uint8Array {
  return (typeof a === 'string' ? a.includes(':') : a.length === 16) ? ipv6Addr(a) : ipv4Addr(a);
}

function checkedLength(b: Uint8Array, n: number): Uint8Array {
  if (b.length !== n) throw new Error(`address of ${b.length} bytes where ${n} belong`);
  return b;
}
