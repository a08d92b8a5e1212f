/**
 * Spanning tree BPDUs: STP and RSTP (IEEE 802.1D-2004 clause 9), MSTP (IEEE 802.1Q-2022
 * clause 14), carried in 802.2 LLC (DSAP/SSAP 0x42) or Cisco PVST+ SNAP (00000c/010b).
 *
 *   proto(2) version type | flags root_id(8) root_cost(4) bridge_id(8) port_id(2) ages(8)
 */
import { hex, macAt, u16, u32, type DetailNode, type Tree } from './ethernet.ts';

export const BPDU_CONFIG = 0x00;
export const BPDU_TCN = 0x80;
export const BPDU_RST = 0x02;

export interface BridgeId {
  priority: number;
  /** 802.1t system id extension: the VLAN or MST instance. */
  systemIdExtension: number;
  mac: string;
}

export interface Stp {
  at: number;
  protocolId: number;
  version: number;
  type: number;
  /** Fields below are -1 / null in a Topology Change Notification. */
  flags: number;
  root: BridgeId | null;
  rootCost: number;
  bridge: BridgeId | null;
  portId: number;
  /** Timers in 1/256 s units. */
  messageAge: number;
  maxAge: number;
  helloTime: number;
  forwardDelay: number;
}

export function decodeStp(b: Uint8Array, start: number, end: number): Stp | null {
  if (end - start < 4) return null;
  const type = b[start + 3];
  const full = type !== BPDU_TCN && end - start >= 35;
  if (type !== BPDU_TCN && !full) return null;
  return {
    at: start,
    protocolId: u16(b, start),
    version: b[start + 2],
    type,
    flags: full ? b[start + 4] : -1,
    root: full ? bridgeId(b, start + 5) : null,
    rootCost: full ? u32(b, start + 13) : -1,
    bridge: full ? bridgeId(b, start + 17) : null,
    portId: full ? u16(b, start + 25) : -1,
    messageAge: full ? u16(b, start + 27) : -1,
    maxAge: full ? u16(b, start + 29) : -1,
    helloTime: full ? u16(b, start + 31) : -1,
    forwardDelay: full ? u16(b, start + 33) : -1,
  };
}

function bridgeId(b: Uint8Array, p: number): BridgeId {
  const word = u16(b, p);
  return { priority: word & 0xf000, systemIdExtension: word & 0x0fff, mac: macAt(b, p + 2) };
}

export function bridgeIdText(id: BridgeId): string {
  return `${id.priority}/${id.systemIdExtension}/${id.mac}`;
}

/** Wireshark's Info: "RST. TC + Root = 32768/1/00:19:06:ea:b8:80  Cost = 0  Port = 0x800c". */
export function stpInfo(stp: Stp): string {
  if (stp.type === BPDU_TCN) return 'Topology Change Notification';
  const kind = stp.type === BPDU_CONFIG ? 'Conf. ' : stp.version === 3 ? 'MST. ' : stp.version === 2 ? 'RST. ' : 'Unknown BPDU type. ';
  const tc = stp.flags & 0x01 ? 'TC + ' : '';
  const tcAck = stp.flags & 0x80 ? 'TCAck + ' : '';
  const port = stp.portId.toString(16).padStart(4, '0');
  return `${kind}${tcAck}${tc}Root = ${bridgeIdText(stp.root!)}  Cost = ${stp.rootCost}  Port = 0x${port}`;
}

export function stpTree(stp: Stp, t: Tree): DetailNode {
  const p = stp.at;
  const kind = stp.type === BPDU_TCN ? 'Topology Change Notification' : stp.type === BPDU_CONFIG ? 'Configuration' : 'Rapid/Multiple Spanning Tree';
  const c = [
    t.node(`Protocol Identifier: ${hex(stp.protocolId, 4)}`, p, 2),
    t.node(`Protocol Version Identifier: ${stp.version}`, p + 2, 1),
    t.node(`BPDU Type: ${kind} (${hex(stp.type, 2)})`, p + 3, 1),
  ];
  if (stp.root && stp.bridge) {
    c.push(
      t.node(`BPDU flags: ${hex(stp.flags, 2)}`, p + 4, 1),
      t.node(`Root Identifier: ${bridgeIdText(stp.root)}`, p + 5, 8),
      t.node(`Root Path Cost: ${stp.rootCost}`, p + 13, 4),
      t.node(`Bridge Identifier: ${bridgeIdText(stp.bridge)}`, p + 17, 8),
      t.node(`Port identifier: ${hex(stp.portId, 4)}`, p + 25, 2),
      t.node(`Message Age: ${stp.messageAge / 256}`, p + 27, 2),
      t.node(`Max Age: ${stp.maxAge / 256}`, p + 29, 2),
      t.node(`Hello Time: ${stp.helloTime / 256}`, p + 31, 2),
      t.node(`Forward Delay: ${stp.forwardDelay / 256}`, p + 33, 2),
    );
  }
  return t.node('Spanning Tree Protocol', p, stp.root ? 35 : 4, c);
}
