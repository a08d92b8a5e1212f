// IPv4 and IPv6 packets, extension headers included.
//
// Checksums: the IPv4 header is always checksummed. TCP, UDP, ICMPv6 and VRRPv3 checksums
// cover an IP pseudo-header, so ipv4()/ipv6() fill them in when the payload's checksum
// field is still zero (leave a non-zero value in place to forge a bad checksum).
import { concat, ipv4Addr, ipv6Addr, setU16, u16, u32, type Addr } from './bytes.ts';
import { internetChecksum } from './checksum.ts';
import { checksumOffset } from './transport.ts';

/** Offset of the checksum field of upper-layer protocols whose checksum covers the pseudo-header. */
function pseudoChecksumOffset(proto: number, payload: Uint8Array): number | undefined {
  if (proto === 112) return payload[0] >> 4 === 3 ? 6 : undefined; // VRRPv2 has no pseudo-header
  return proto === 1 ? undefined : checksumOffset(proto); // nor has ICMP for IPv4
}

function fillPseudoChecksum(proto: number, payload: Uint8Array, pseudo: Uint8Array): Uint8Array {
  const off = pseudoChecksumOffset(proto, payload);
  if (off === undefined || payload.length < off + 2 || payload[off] !== 0 || payload[off + 1] !== 0) return payload;
  const out = payload.slice();
  const sum = internetChecksum(pseudo, out);
  // A computed zero means "no checksum" in UDP, so UDP transmits it as all ones.
  setU16(out, off, proto === 17 && sum === 0 ? 0xffff : sum);
  return out;
}

export function ipv4(o: {
  src: Addr;
  dst: Addr;
  proto: number;
  ttl?: number;
  id?: number;
  /** Don't Fragment, as most TCP stacks set it. */
  df?: boolean;
  options?: Uint8Array;
  payload: Uint8Array;
}): Uint8Array {
  const src = ipv4Addr(o.src);
  const dst = ipv4Addr(o.dst);
  const options = new Uint8Array(Math.ceil((o.options?.length ?? 0) / 4) * 4); // pad with EOL
  if (o.options) options.set(o.options);
  const payload = fillPseudoChecksum(o.proto, o.payload, concat(src, dst, Uint8Array.of(0, o.proto), u16(o.payload.length)));
  const hdr = concat(
    Uint8Array.of(0x40 | (5 + options.length / 4), 0),
    u16(20 + options.length + payload.length),
    u16(o.id ?? 0),
    u16(o.df ? 0x4000 : 0),
    Uint8Array.of(o.ttl ?? 64, o.proto),
    u16(0),
    src,
    dst,
    options,
  );
  setU16(hdr, 10, internetChecksum(hdr));
  return concat(hdr, payload);
}

export interface Ipv6ExtHeader {
  /** 0 hop-by-hop, 43 routing, 60 destination options, 44 fragment (data = 6 bytes). */
  type: number;
  data: Uint8Array;
}

export function ipv6(o: { src: Addr; dst: Addr; nextHeader: number; hopLimit?: number; extHeaders?: Ipv6ExtHeader[]; payload: Uint8Array }): Uint8Array {
  const src = ipv6Addr(o.src);
  const dst = ipv6Addr(o.dst);
  const exts = o.extHeaders ?? [];
  // Offset 0 with no more fragments (an atomic fragment) still carries the whole upper-layer message.
  const isPartial = exts.some((e) => e.type === 44 && (((e.data[0] << 8) | e.data[1]) & 0xfff9) !== 0);
  // Only the whole message can be checksummed.
  const payload = isPartial ? o.payload : fillPseudoChecksum(o.nextHeader, o.payload, concat(src, dst, u32(o.payload.length), u32(o.nextHeader)));
  const chain = exts.map((e, i) => extHeader(e, i + 1 < exts.length ? exts[i + 1].type : o.nextHeader));
  const body = concat(...chain, payload);
  return concat(u32(0x60000000), u16(body.length), Uint8Array.of(exts.length ? exts[0].type : o.nextHeader, o.hopLimit ?? 64), src, dst, body);
}

function extHeader(e: Ipv6ExtHeader, next: number): Uint8Array {
  if (e.type === 44) {
    if (e.data.length !== 6) throw new Error('fragment header data must be 6 bytes');
    return concat(Uint8Array.of(next, 0), e.data);
  }
  // Zero padding is valid: in option headers zero bytes are Pad1 options.
  const len = Math.ceil((2 + e.data.length) / 8) * 8;
  const out = new Uint8Array(len);
  out.set([next, len / 8 - 1]);
  out.set(e.data, 2);
  return out;
}
