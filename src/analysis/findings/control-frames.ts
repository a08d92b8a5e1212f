/**
 * The control-plane frames findings read (ARP, LACP, HSRP, VRRP), decoded into small
 * records in time order. They are picked by their flow's protocol class, so only their
 * bytes are re-read: a few thousand frames out of millions.
 */
import type { ByteSource } from '../../capture/byte-source.ts';
import { ipv4Text, ipv6Text } from '../../decode/addresses.ts';
import { ProtocolClass } from '../../decode/protocol-class.ts';
import { macAt } from '../../decode/protocols/ethernet.ts';
import { dissect } from '../../decode/protocols/stack.ts';
import type { Capture } from '../../store/capture.ts';
import { flowClass, keyAt } from '../../store/flow-key.ts';
import { visitRowBytes } from '../../store/row-bytes.ts';
import type { Instant } from './finding.ts';

interface Event {
  row: number;
  t: Instant;
  /** Ethernet source MAC ('' without one). */
  srcMac: string;
}

export interface ArpEvent extends Event {
  opcode: number;
  kind: string;
  senderIp: string;
  targetIp: string;
  senderMac: string;
  /** The Ethernet destination: the cached MAC of a unicast request, ff:ff:ff:ff:ff:ff for a broadcast one. */
  dstMac: string;
  broadcast: boolean;
}

export interface LacpEvent extends Event {
  actorSystem: string;
  actorPort: number;
  actorState: number;
  partnerSystem: string;
  partnerPort: number;
  partnerState: number;
}

export interface RedundancyEvent extends Event {
  protocol: 'HSRP' | 'VRRP';
  version: number;
  /** Group (HSRP) or VRID (VRRP), with the IP version, e.g. "1" or "1 (IPv6)". */
  group: string;
  srcIp: string;
  /** 'active' for HSRP Active and every VRRP advertisement (only the master sends them). */
  role: 'active' | 'standby' | 'other';
  stateName: string;
  priority: number;
  virtualIp: string;
  /** How long the others wait for the next message before taking over, in seconds. */
  holdSec: number;
}

export interface ControlFrames {
  arp: ArpEvent[];
  lacp: LacpEvent[];
  redundancy: RedundancyEvent[];
}

const WANTED_CLASSES = new Set<number>([ProtocolClass.Arp, ProtocolClass.Lacp, ProtocolClass.Hsrp, ProtocolClass.Vrrp]);
const HSRP2_ACTIVE = 6;
const HSRP2_STANDBY = 5;
const HSRP1_ACTIVE = 16;
const HSRP1_STANDBY = 8;
const HSRP1_STATES: Record<number, string> = { 0: 'Initial', 1: 'Learn', 2: 'Listen', 4: 'Speak', 8: 'Standby', 16: 'Active' };
const HSRP2_STATES: Record<number, string> = { 1: 'Init', 2: 'Learn', 3: 'Listen', 4: 'Speak', 5: 'Standby', 6: 'Active' };

export async function controlFrames(capture: Capture, source: ByteSource, cancelled: () => boolean = () => false): Promise<ControlFrames> {
  const { store, flows } = capture;
  const wantedFlow = new Uint8Array(flows.count);
  for (let id = 0; id < flows.count; id++) wantedFlow[id] = WANTED_CLASSES.has(flowClass(flows.keys, keyAt(id))) ? 1 : 0;
  const wanted = (r: number) => wantedFlow[store.flow[r]] === 1;
  const next = (after: number) => {
    for (let r = after + 1; r < store.length; r++) if (wantedFlow[store.flow[r]]) return r;
    return -1;
  };
  const out: ControlFrames = { arp: [], lacp: [], redundancy: [] };
  await visitRowBytes(
    capture,
    source,
    next(-1),
    wanted,
    next,
    (row, bytes, at) => {
      const t = { sec: store.sec(row), ns: store.tsNs[row] };
      const s = dissect(bytes, at, store.capLen[row], capture.interfaces[store.iface[row]].linkType);
      const srcMac = s.link && s.link.srcAt >= 0 ? macAt(bytes, s.link.srcAt) : '';
      const dstMac = s.link && s.link.dstAt >= 0 ? macAt(bytes, s.link.dstAt) : '';
      if (s.arp && s.arp.senderIp >= 0 && s.arp.hwSize === 6) {
        out.arp.push({
          row,
          t,
          srcMac,
          opcode: s.arp.opcode,
          kind: s.arp.kind,
          senderIp: ipv4Text(s.arp.senderIp),
          targetIp: ipv4Text(s.arp.targetIp),
          senderMac: macAt(bytes, s.arp.shaAt),
          dstMac,
          broadcast: dstMac === 'ff:ff:ff:ff:ff:ff',
        });
      } else if (s.lacp) {
        const { actor, partner } = s.lacp;
        out.lacp.push({
          row,
          t,
          srcMac,
          actorSystem: actor.system,
          actorPort: actor.port,
          actorState: actor.state,
          partnerSystem: partner.system,
          partnerPort: partner.port,
          partnerState: partner.state,
        });
      } else if (s.hsrp && s.hsrp.state >= 0) {
        const h = s.hsrp;
        out.redundancy.push({
          row,
          t,
          srcMac,
          protocol: 'HSRP',
          version: 1,
          group: String(h.group),
          srcIp: s.ip4 ? ipv4Text(s.ip4.src) : '',
          role: h.state === HSRP1_ACTIVE ? 'active' : h.state === HSRP1_STANDBY ? 'standby' : 'other',
          stateName: HSRP1_STATES[h.state] ?? String(h.state),
          priority: h.priority,
          virtualIp: ipv4Text(h.virtualIp),
          holdSec: h.holdtime,
        });
      } else if (s.hsrp2?.group) {
        const g = s.hsrp2.group;
        out.redundancy.push({
          row,
          t,
          srcMac,
          protocol: 'HSRP',
          version: 2,
          group: g.ipVersion === 6 ? `${g.group} (IPv6)` : String(g.group),
          srcIp: s.ip4 ? ipv4Text(s.ip4.src) : s.ip6 ? ipv6Text(bytes.subarray(s.ip6.srcAt, s.ip6.srcAt + 16)) : '',
          role: g.state === HSRP2_ACTIVE ? 'active' : g.state === HSRP2_STANDBY ? 'standby' : 'other',
          stateName: HSRP2_STATES[g.state] ?? String(g.state),
          priority: g.priority,
          virtualIp: g.virtualIp >= 0 ? ipv4Text(g.virtualIp) : g.virtualIpAt >= 0 ? ipv6Text(bytes.subarray(g.virtualIpAt, g.virtualIpAt + 16)) : '',
          holdSec: g.holdtime / 1000,
        });
      } else if (s.vrrp) {
        const v = s.vrrp;
        const intervalSec = v.version === 3 ? v.advertInterval / 100 : v.advertInterval;
        out.redundancy.push({
          row,
          t,
          srcMac,
          protocol: 'VRRP',
          version: v.version,
          group: v.ipVersion === 6 ? `${v.vrid} (IPv6)` : String(v.vrid),
          srcIp: s.ip4 ? ipv4Text(s.ip4.src) : s.ip6 ? ipv6Text(bytes.subarray(s.ip6.srcAt, s.ip6.srcAt + 16)) : '',
          role: 'active',
          stateName: 'Master',
          priority: v.priority,
          virtualIp: v.addresses.join(', '),
          // RFC 5798: Master_Down_Interval = 3 x interval + skew time ((256 - priority) / 256 x interval).
          holdSec: 3 * intervalSec + ((256 - v.priority) / 256) * intervalSec,
        });
      }
    },
    cancelled,
  );
  const inTime = <T extends Event>(list: T[]) => list.sort((a, b) => a.t.sec - b.t.sec || a.t.ns - b.t.ns || a.row - b.row);
  inTime(out.arp);
  inTime(out.lacp);
  inTime(out.redundancy);
  return out;
}
