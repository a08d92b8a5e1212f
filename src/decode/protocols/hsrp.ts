/**
 * Cisco Hot Standby Router Protocol. Version 1: RFC 2281 (https://www.rfc-editor.org/rfc/rfc2281),
 * UDP 1985 to 224.0.0.2. Version 2 (Cisco's "HSRP Version 2" configuration guide; no RFC): TLVs
 * on UDP 1985 to 224.0.0.102, or UDP 2029 to ff02::66 over IPv6.
 *
 *   v1:  version opcode state hellotime holdtime priority group reserved | auth(8) | virtual IP(4)
 *   v2:  TLV*  (1 group state, len 40 | 2 interface state, len 4 | 3 text auth, len 8 | 4 MD5, len 28)
 */
import { ipv4Text, ipv6Text } from '../addresses.ts';
import { hexRun, macAt, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

export const HSRP_PORT = 1985;
export const HSRP2_V6_PORT = 2029;

/** Which HSRP a UDP datagram carries, decided by destination as Wireshark decides: 0 when neither. */
export function hsrpVersionFor(dstPort: number, ipVersion: number, dstIpv4: number): 0 | 1 | 2 {
  if (dstPort !== HSRP_PORT && dstPort !== HSRP2_V6_PORT) return 0;
  if (ipVersion === 4 && dstIpv4 === 0xe0000002) return 1;
  if (ipVersion === 4 && dstIpv4 === 0xe0000066) return 2;
  if (ipVersion === 6 && dstPort === HSRP2_V6_PORT) return 2;
  return 0;
}

export interface HsrpAdvertise {
  type: number;
  length: number;
  state: number;
  activeGroups: number;
  passiveGroups: number;
}

export interface HsrpMd5 {
  at: number;
  algorithm: number;
  flags: number;
  senderIp: number;
  keyId: number;
  digestAt: number;
}

export interface Hsrp {
  at: number;
  version: number;
  opcode: number;
  /** Hello/Coup/Resign fields; -1 in an Advertise. */
  state: number;
  hellotime: number;
  holdtime: number;
  priority: number;
  group: number;
  auth: string;
  virtualIp: number;
  advertise: HsrpAdvertise | null;
  /** RFC 2281 has no MD5; Cisco appends an MD5 TLV to make a 50-byte datagram. */
  md5: HsrpMd5 | null;
}

/** Null when the datagram is too short for its opcode's fields. */
export function decodeHsrp(b: Uint8Array, start: number, end: number): Hsrp | null {
  if (end - start < 2) return null;
  const opcode = b[start + 1];
  const hello = opcode < 3;
  if (end - start < (hello ? 20 : opcode === 3 ? 16 : 2)) return null;
  return {
    at: start,
    version: b[start],
    opcode,
    state: hello ? b[start + 2] : -1,
    hellotime: hello ? b[start + 3] : -1,
    holdtime: hello ? b[start + 4] : -1,
    priority: hello ? b[start + 5] : -1,
    group: hello ? b[start + 6] : -1,
    auth: hello ? cString(b, start + 8, 8) : '',
    virtualIp: hello ? u32(b, start + 16) : -1,
    advertise: opcode === 3 ? advertise(b, start + 2) : null,
    md5: end - start === 50 && b[start + 20] === 4 && b[start + 21] === 28 ? md5(b, start + 20) : null,
  };
}

function advertise(b: Uint8Array, p: number): HsrpAdvertise {
  return { type: u16(b, p), length: u16(b, p + 2), state: b[p + 4], activeGroups: u16(b, p + 6), passiveGroups: u16(b, p + 8) };
}

function md5(b: Uint8Array, p: number): HsrpMd5 {
  return { at: p, algorithm: b[p + 2], flags: u16(b, p + 4), senderIp: u32(b, p + 6), keyId: u32(b, p + 10), digestAt: p + 14 };
}

/** Text up to the first NUL within n bytes, as Wireshark copies an 8-byte auth field. */
export function cString(b: Uint8Array, p: number, n: number): string {
  let text = '';
  for (let i = 0; i < n && b[p + i] !== 0; i++) text += String.fromCharCode(b[p + i]);
  return text;
}

export interface Hsrp2Group {
  at: number;
  version: number;
  opcode: number;
  state: number;
  ipVersion: number;
  group: number;
  identifier: string;
  priority: number;
  /** Milliseconds. */
  hellotime: number;
  holdtime: number;
  /** IPv4 as an integer when ipVersion is 4, else -1; an IPv6 address is at virtualIpAt. */
  virtualIp: number;
  virtualIpAt: number;
}

export interface Hsrp2Tlv {
  type: number;
  at: number;
  length: number;
}

export interface Hsrp2 {
  at: number;
  tlvs: Hsrp2Tlv[];
  group: Hsrp2Group | null;
  interfaceState: { activeGroups: number; passiveGroups: number } | null;
  auth: string | null;
  md5: HsrpMd5 | null;
}

/** Walks the TLVs Wireshark knows, stopping at the first other one; null when none is known. */
export function decodeHsrp2(b: Uint8Array, start: number, end: number): Hsrp2 | null {
  const out: Hsrp2 = { at: start, tlvs: [], group: null, interfaceState: null, auth: null, md5: null };
  for (let p = start; end - p >= 2; ) {
    const type = b[p];
    const length = b[p + 1];
    if (!knownTlv(type, length) || end - p < length + 2) break;
    out.tlvs.push({ type, at: p, length });
    if (type === 1) out.group = groupState(b, p);
    else if (type === 2) out.interfaceState = { activeGroups: u16(b, p + 2), passiveGroups: u16(b, p + 4) };
    else if (type === 3) out.auth = cString(b, p + 2, 8);
    else out.md5 = md5(b, p);
    p += length + 2;
  }
  return out.tlvs.length ? out : null;
}

function knownTlv(type: number, length: number): boolean {
  return (type === 1 && length === 40) || (type === 2 && length === 4) || (type === 3 && length === 8) || (type === 4 && length === 28);
}

function groupState(b: Uint8Array, p: number): Hsrp2Group {
  const ipVersion = b[p + 5];
  return {
    at: p,
    version: b[p + 2],
    opcode: b[p + 3],
    state: b[p + 4],
    ipVersion,
    group: u16(b, p + 6),
    identifier: macAt(b, p + 8),
    priority: u32(b, p + 14),
    hellotime: u32(b, p + 18),
    holdtime: u32(b, p + 22),
    virtualIp: ipVersion === 4 ? u32(b, p + 26) : -1,
    virtualIpAt: p + 26,
  };
}

export const HSRP_OPCODES: Readonly<Record<number, string>> = { 0: 'Hello', 1: 'Coup', 2: 'Resign', 3: 'Advertise' };
export const HSRP_STATES: Readonly<Record<number, string>> = { 0: 'Initial', 1: 'Learn', 2: 'Listen', 4: 'Speak', 8: 'Standby', 16: 'Active' };
export const HSRP_ADV_STATES: Readonly<Record<number, string>> = { 1: 'Dormant', 2: 'Passive', 3: 'Active' };
export const HSRP2_OPCODES: Readonly<Record<number, string>> = { 0: 'Hello', 1: 'Coup', 2: 'Resign' };
export const HSRP2_STATES: Readonly<Record<number, string>> = { 1: 'Init', 2: 'Learn', 3: 'Listen', 4: 'Speak', 5: 'Standby', 6: 'Active' };

const dflt = (value: number, standard: number) => `${value === standard ? '' : 'Non-'}Default (${value})`;
const named = (names: Readonly<Record<number, string>>, v: number) => `${names[v] ?? 'Unknown'} (${v})`;

export function hsrpTree(b: Uint8Array, h: Hsrp, t: Tree): DetailNode {
  const p = h.at;
  const c = [t.node(`Version: ${h.version}`, p, 1), t.node(`Op Code: ${named(HSRP_OPCODES, h.opcode)}`, p + 1, 1)];
  if (h.opcode < 3) {
    c.push(
      t.node(`State: ${named(HSRP_STATES, h.state)}`, p + 2, 1),
      t.node(`Hellotime: ${dflt(h.hellotime, 3)}`, p + 3, 1),
      t.node(`Holdtime: ${dflt(h.holdtime, 10)}`, p + 4, 1),
      t.node(`Priority: ${h.priority}`, p + 5, 1),
      t.node(`Group: ${h.group}`, p + 6, 1),
      t.node(`Reserved: ${b[p + 7]}`, p + 7, 1),
      t.node(`Authentication Data: ${h.auth.startsWith('cisco') ? '' : 'Non-'}Default (${h.auth})`, p + 8, 8),
      t.node(`Virtual IP Address: ${ipv4Text(h.virtualIp)}`, p + 16, 4),
    );
  } else if (h.advertise) {
    const a = h.advertise;
    c.push(
      t.node(`Adv type: ${a.type === 1 ? 'HSRP interface state' : a.type === 2 ? 'IP redundancy' : 'Unknown'} (${a.type})`, p + 2, 2),
      t.node(`Adv length: ${a.length}`, p + 4, 2),
      t.node(`Adv state: ${named(HSRP_ADV_STATES, a.state)}`, p + 6, 1),
      t.node(`Adv active groups: ${a.activeGroups}`, p + 8, 2),
      t.node(`Adv passive groups: ${a.passiveGroups}`, p + 10, 2),
    );
  }
  if (h.md5) c.push(md5Tree(b, h.md5, t));
  return t.node('Cisco Hot Standby Router Protocol', p, h.md5 ? 50 : h.opcode === 3 ? 16 : 20, c);
}

function md5Tree(b: Uint8Array, m: HsrpMd5, t: Tree): DetailNode {
  return t.node(`MD5 Authentication TLV: Type=4 Len=28`, m.at, 30, [
    t.node(`MD5 Algorithm: ${m.algorithm === 1 ? 'MD5' : 'Unknown'} (${m.algorithm})`, m.at + 2, 1),
    t.node(`MD5 Flags: ${m.flags}`, m.at + 4, 2),
    t.node(`Sender's IP Address: ${ipv4Text(m.senderIp)}`, m.at + 6, 4),
    t.node(`MD5 Key ID: ${m.keyId}`, m.at + 10, 4),
    t.node(`MD5 Authentication Data: ${hexRun(b, m.digestAt, 16)}`, m.digestAt, 16),
  ]);
}

export function hsrp2Tree(b: Uint8Array, h: Hsrp2, t: Tree): DetailNode {
  const children = h.tlvs.map((tlv) => {
    const p = tlv.at;
    const head = `Type=${tlv.type} Len=${tlv.length}`;
    if (tlv.type === 1 && h.group) return groupTree(b, h.group, t, head);
    if (tlv.type === 2 && h.interfaceState) {
      return t.node(`Interface State TLV: ${head}`, p, 6, [
        t.node(`Active Groups: ${h.interfaceState.activeGroups}`, p + 2, 2),
        t.node(`Passive Groups: ${h.interfaceState.passiveGroups}`, p + 4, 2),
      ]);
    }
    if (tlv.type === 3) {
      const auth = h.auth ?? '';
      return t.node(`Text Authentication TLV: ${head}`, p, 10, [
        t.node(`Authentication Data: ${auth.startsWith('cisco') ? '' : 'Non-'}Default (${auth})`, p + 2, 8),
      ]);
    }
    return md5Tree(b, h.md5!, t);
  });
  const last = h.tlvs[h.tlvs.length - 1];
  return t.node('Cisco Hot Standby Router Protocol', h.at, last.at + last.length + 2 - h.at, children);
}

function groupTree(b: Uint8Array, g: Hsrp2Group, t: Tree, head: string): DetailNode {
  const p = g.at;
  const vip =
    g.ipVersion === 4
      ? t.node(`Virtual IP Address: ${ipv4Text(g.virtualIp)}`, p + 26, 4)
      : t.node(`Virtual IPv6 Address: ${ipv6Text(b.subarray(p + 26, p + 42))}`, p + 26, 16);
  return t.node(`Group State TLV: ${head}`, p, 42, [
    t.node(`Version: ${g.version}`, p + 2, 1),
    t.node(`Op Code: ${named(HSRP2_OPCODES, g.opcode)}`, p + 3, 1),
    t.node(`State: ${named(HSRP2_STATES, g.state)}`, p + 4, 1),
    t.node(`IP Ver.: ${g.ipVersion === 4 ? 'IPv4' : g.ipVersion === 6 ? 'IPv6' : 'Unknown'} (${g.ipVersion})`, p + 5, 1),
    t.node(`Group: ${g.group}`, p + 6, 2),
    t.node(`Identifier: ${g.identifier} (${g.identifier})`, p + 8, 6),
    t.node(`Priority: ${g.priority}`, p + 14, 4),
    t.node(`Hellotime: ${dflt(g.hellotime, 3000)}`, p + 18, 4),
    t.node(`Holdtime: ${dflt(g.holdtime, 10000)}`, p + 22, 4),
    vip,
  ]);
}
