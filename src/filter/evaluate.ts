/**
 * Runs a compiled filter over one frame's bytes as the BPF code libpcap generates would:
 * the same offsets, the same order of checks, and the same rule that a load past the
 * captured bytes rejects the whole packet (not just the test that made it).
 */
import { runArith, type Leaves } from './arithmetic.ts';
import type { Arith, Node, Step, Test } from './ast.ts';

/** Where a link layer keeps its EtherType and its payload. */
interface LinkLayout {
  typeAt: number;
  payloadAt: number;
  hasMacs: boolean;
}

const LAYOUTS: Record<number, LinkLayout> = {
  1: { typeAt: 12, payloadAt: 14, hasMacs: true },
  113: { typeAt: 14, payloadAt: 16, hasMacs: false },
  276: { typeAt: 0, payloadAt: 20, hasMacs: false },
};

/** The link types filters can be evaluated on. */
export const FILTER_LINK_TYPES = Object.keys(LAYOUTS).map(Number);

class OutOfBounds extends Error {}
const OUT_OF_BOUNDS = new OutOfBounds();

export class FrameEvaluator {
  private b: Uint8Array = new Uint8Array(0);
  private start = 0;
  private capLen = 0;
  private wireLen = 0;
  private layout: LinkLayout = LAYOUTS[1];

  private readonly leaves: Leaves = { len: () => this.wireLen, load: (step, offset) => this.load(step, offset) };

  constructor(private readonly root: Node | null) {}

  matches(bytes: Uint8Array, start: number, capLen: number, wireLen: number, linkType: number): boolean {
    if (!this.root) return true;
    const layout = LAYOUTS[linkType];
    if (!layout) return false;
    this.b = bytes;
    this.start = start;
    this.capLen = capLen;
    this.wireLen = wireLen;
    this.layout = layout;
    try {
      return this.node(this.root);
    } catch (error) {
      if (error === OUT_OF_BOUNDS) return false;
      throw error;
    }
  }

  private node(n: Node): boolean {
    switch (n.kind) {
      case 'chain': {
        let hit = this.node(n.first);
        for (const { op, operand } of n.rest) if (op === 'and' ? hit : !hit) hit = this.node(operand);
        return hit;
      }
      case 'not':
        return !this.node(n.operand);
      case 'test':
        return this.test(n.test, n.shift);
      case 'relation':
        return this.guards(n.loads) && this.relation(n.op, n.left, n.right);
    }
  }

  private u8(at: number): number {
    if (at < 0 || at + 1 > this.capLen) throw OUT_OF_BOUNDS;
    return this.b[this.start + at];
  }

  private u16(at: number): number {
    if (at < 0 || at + 2 > this.capLen) throw OUT_OF_BOUNDS;
    return (this.b[this.start + at] << 8) | this.b[this.start + at + 1];
  }

  private u32(at: number): number {
    if (at < 0 || at + 4 > this.capLen) throw OUT_OF_BOUNDS;
    const p = this.start + at;
    return ((this.b[p] << 24) | (this.b[p + 1] << 16) | (this.b[p + 2] << 8) | this.b[p + 3]) >>> 0;
  }

  private etherType(shift: number, type: number): boolean {
    return this.u16(this.layout.typeAt + shift) === type;
  }

  private ipProto(shift: number, family: 4 | 6 | 0, proto: number): boolean {
    const p = this.layout.payloadAt + shift;
    if (family !== 6 && this.etherType(shift, 0x0800) && this.u8(p + 9) === proto) return true;
    if (family !== 4 && this.etherType(shift, 0x86dd)) {
      const next = this.u8(p + 6);
      // libpcap also looks through one fragment header.
      return next === proto || (next === 44 && this.u8(p + 40) === proto);
    }
    return false;
  }

  private bytesMatch(at: number, want: Uint8Array, mask?: Uint8Array): boolean {
    for (let i = 0; i < want.length; i++) if ((this.u8(at + i) & (mask ? mask[i] : 0xff)) !== want[i]) return false;
    return true;
  }

  private directed(dir: string, srcAt: number, dstAt: number, want: Uint8Array, mask?: Uint8Array): boolean {
    if (dir === 'src') return this.bytesMatch(srcAt, want, mask);
    if (dir === 'dst') return this.bytesMatch(dstAt, want, mask);
    if (dir === 'and') return this.bytesMatch(srcAt, want, mask) && this.bytesMatch(dstAt, want, mask);
    return this.bytesMatch(srcAt, want, mask) || this.bytesMatch(dstAt, want, mask);
  }

  private test(t: Test, shift: number): boolean {
    const p = this.layout.payloadAt + shift;
    switch (t.kind) {
      case 'ethertype':
        return this.etherType(shift, t.type);
      case 'llc':
        return this.u16(this.layout.typeAt + shift) <= 1500 && this.u8(p) === t.sap;
      case 'ipproto':
        return this.ipProto(shift, t.family, t.proto);
      case 'ip-addr':
        return this.ipAddr(t, shift, p);
      case 'ether-addr':
        return this.layout.hasMacs && this.directed(t.dir, 6, 0, t.mac);
      case 'port':
        return this.port(t, shift, p);
      case 'vlan': {
        const type = this.u16(this.layout.typeAt + shift);
        if (type !== 0x8100 && type !== 0x88a8 && type !== 0x9100) return false;
        return t.id === null || (this.u16(this.layout.typeAt + shift + 2) & 0x0fff) === t.id;
      }
      case 'ether-broadcast':
        return this.layout.hasMacs && this.bytesMatch(0, BROADCAST);
      case 'ether-multicast':
        return this.layout.hasMacs && (this.u8(0) & 1) === 1;
      case 'ip-multicast':
        return t.family === 4 ? this.etherType(shift, 0x0800) && this.u8(p + 16) >= 224 : this.etherType(shift, 0x86dd) && this.u8(p + 24) === 0xff;
      case 'ip-broadcast': {
        if (!this.etherType(shift, 0x0800)) return false;
        const dst = this.u32(p + 16);
        return dst === 0xffffffff || dst === 0;
      }
      case 'length':
        return t.atMost ? this.wireLen <= t.bytes : this.wireLen >= t.bytes;
    }
  }

  private ipAddr(t: Extract<Test, { kind: 'ip-addr' }>, shift: number, p: number): boolean {
    if (t.family === 6) return this.etherType(shift, 0x86dd) && this.directed(t.dir, p + 8, p + 24, t.addr, t.mask);
    if (t.over === 'ip') return this.etherType(shift, 0x0800) && this.directed(t.dir, p + 12, p + 16, t.addr, t.mask);
    return this.etherType(shift, t.over === 'arp' ? 0x0806 : 0x8035) && this.directed(t.dir, p + 14, p + 24, t.addr, t.mask);
  }

  private port(t: Extract<Test, { kind: 'port' }>, shift: number, p: number): boolean {
    if (t.family !== 6 && this.etherType(shift, 0x0800) && this.u8(p + 9) === t.transport && (this.u16(p + 6) & 0x1fff) === 0) {
      if (this.portsAt(t, p + (this.u8(p) & 0x0f) * 4)) return true;
    }
    if (t.family !== 4 && this.etherType(shift, 0x86dd) && this.u8(p + 6) === t.transport) return this.portsAt(t, p + 40);
    return false;
  }

  /** The source port is at `at`, the destination port right after it. */
  private portsAt(t: Extract<Test, { kind: 'port' }>, at: number): boolean {
    if (t.dir === 'src') return this.portIn(t, at);
    if (t.dir === 'dst') return this.portIn(t, at + 2);
    if (t.dir === 'and') return this.portIn(t, at) && this.portIn(t, at + 2);
    return this.portIn(t, at) || this.portIn(t, at + 2);
  }

  private portIn(t: Extract<Test, { kind: 'port' }>, at: number): boolean {
    const port = this.u16(at);
    return port >= t.lo && port <= t.hi;
  }

  private relation(op: string, left: Arith, right: Arith): boolean {
    const a = this.arith(left);
    const b = this.arith(right);
    switch (op) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  }

  /** The protocol checks libpcap puts before each load: ip[...] only on IPv4, tcp[...] only on first fragments of IPv4 TCP. */
  private guards(loads: ReadonlyArray<Extract<Step, { kind: 'load' }>>): boolean {
    for (const step of loads) if (!this.loadGuard(step.proto, step.shift)) return false;
    return true;
  }

  private loadGuard(proto: string, shift: number): boolean {
    switch (proto) {
      case 'ether':
        return true;
      case 'ip':
        return this.etherType(shift, 0x0800);
      case 'ip6':
        return this.etherType(shift, 0x86dd);
      case 'arp':
        return this.etherType(shift, 0x0806);
      case 'rarp':
        return this.etherType(shift, 0x8035);
      case 'icmp6':
        return this.etherType(shift, 0x86dd) && this.u8(this.layout.payloadAt + shift + 6) === 58;
      default:
        return this.ipProto(shift, 4, TRANSPORT_OF[proto]) && (this.u16(this.layout.payloadAt + shift + 6) & 0x1fff) === 0;
    }
  }

  private arith(code: Arith): number {
    const value = runArith(code, this.leaves);
    // Division by zero rejects the packet in BPF.
    if (value === null) throw OUT_OF_BOUNDS;
    return value;
  }

  /**
   * BPF loads from [x + k]: k the header's fixed offset, x what varies (the offset, plus the
   * IPv4 header's length under tcp, udp, ...). Additions into x or k wrap at 32 bits; x + k
   * itself does not (past the end rejects). A constant offset the optimiser adds into k.
   */
  private load(step: Extract<Step, { kind: 'load' }>, offset: number): number {
    const p = this.layout.payloadAt + step.shift;
    const fixed = step.proto === 'ether' ? 0 : step.proto === 'icmp6' ? p + 40 : p;
    const varying = step.proto in TRANSPORT_OF ? (this.u8(p) & 0x0f) * 4 : 0;
    const at = step.folded ? ((fixed + offset) >>> 0) + varying : fixed + ((offset + varying) >>> 0);
    return step.size === 1 ? this.u8(at) : step.size === 2 ? this.u16(at) : this.u32(at);
  }
}

const BROADCAST = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const TRANSPORT_OF: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, igmp: 2, sctp: 132, vrrp: 112, carp: 112, pim: 103, igrp: 9 };
