// Transport segments: TCP, UDP, ICMP and ICMPv6. Checksums that cover the IP pseudo-header
// (TCP, UDP, ICMPv6) are left zero here; ipv4()/ipv6() fill them in.
import { concat, setU16, u16, u32 } from './bytes.ts';
import { internetChecksum } from './checksum.ts';

/** Offset of the checksum field in a TCP (6), UDP (17), ICMP (1) or ICMPv6 (58) header. */
export function checksumOffset(proto: number): number | undefined {
  return proto === 6 ? 16 : proto === 17 ? 6 : proto === 1 || proto === 58 ? 2 : undefined;
}

const TCP_FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

/**
 * `flags` is a bit mask or letters as tcpdump prints them ('S', 'SA', 'PA', 'FA', 'R', ...).
 * `options` are padded with zeros (End of Option List) to a multiple of 4 bytes.
 */
export function tcp(o: {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number | string;
  window: number;
  options?: Uint8Array;
  payload?: Uint8Array;
}): Uint8Array {
  const flags =
    typeof o.flags === 'number'
      ? o.flags
      : [...o.flags].reduce((m, c) => {
          const bit = TCP_FLAG_BITS[c.toUpperCase()];
          if (bit === undefined) throw new Error(`unknown TCP flag ${c}`);
          return m | bit;
        }, 0);
  const options = new Uint8Array(Math.ceil((o.options?.length ?? 0) / 4) * 4);
  if (o.options) options.set(o.options);
  return concat(
    u16(o.sport),
    u16(o.dport),
    u32(o.seq),
    u32(o.ack),
    Uint8Array.of((5 + options.length / 4) << 4, flags),
    u16(o.window),
    u16(0),
    u16(0),
    options,
    o.payload ?? new Uint8Array(0),
  );
}

export function udp(o: { sport: number; dport: number; payload: Uint8Array }): Uint8Array {
  return concat(u16(o.sport), u16(o.dport), u16(8 + o.payload.length), u16(0), o.payload);
}

interface IcmpFields {
  type: number;
  code: number;
  id?: number;
  seq?: number;
  payload?: Uint8Array;
}

function icmpMessage(o: IcmpFields): Uint8Array {
  return concat(Uint8Array.of(o.type, o.code), u16(0), u16(o.id ?? 0), u16(o.seq ?? 0), o.payload ?? new Uint8Array(0));
}

export function icmp(o: IcmpFields): Uint8Array {
  const msg = icmpMessage(o);
  setU16(msg, 2, internetChecksum(msg));
  return msg;
}

/** Checksum left zero: ipv6() fills it from the pseudo-header. */
export function icmpv6(o: IcmpFields): Uint8Array {
  return icmpMessage(o);
}
