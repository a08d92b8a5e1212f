/**
 * State over time for the timeline's overlay lanes, from the decoded control frames and the
 * findings: a lane per LACP port (coloured by the state its LACPDUs report, with gaps where
 * they stop for more than three intervals), per ARP target (requests unicast or broadcast,
 * replies, unanswered stretches), per HSRP/VRRP group (who is active), and one for bursts of
 * repeated frames. Times are seconds since the workspace base, as the timeline counts them.
 */
import type { ControlFrames, RedundancyEvent } from './findings/control-frames.ts';
import type { Finding, Instant } from './findings/finding.ts';
import { lacpCondition } from './findings/lacp-findings.ts';

/** A segment's state: the UI picks a colour per state. */
export type OverlayState =
  | 'in-bundle'
  | 'recovered'
  | 'out-of-sync'
  | 'expired'
  | 'defaulted'
  | 'partner-lost'
  | 'unanswered'
  | 'active-0'
  | 'active-1'
  | 'active-2'
  | 'active-3'
  | 'repeating';

/** Tick kinds: one mark per frame on the lane. */
export const TICK_MESSAGE = 0;
export const TICK_REQUEST_UNICAST = 1;
export const TICK_REQUEST_BROADCAST = 2;
export const TICK_REPLY = 3;

export interface OverlaySegment {
  fromSec: number;
  toSec: number;
  state: OverlayState;
  /** What hovering it says. */
  text: string;
}

export interface OverlayLane {
  id: string;
  group: 'LACP' | 'ARP' | 'HSRP' | 'VRRP' | 'Repeated';
  label: string;
  segments: OverlaySegment[];
  /** Frame times, in time order, and their kinds. */
  ticks: Float64Array;
  tickKinds: Uint8Array;
}

/** ARP targets with the most requests get a lane; the rest stay in the findings and the list. */
const ARP_LANES = 6;

/** `at` places a time the capture recorded on the timeline's axis (the session's placement, clock offset included). */
export function overlayLanes(control: ControlFrames, findings: Finding[], at: (t: Instant) => number, endSec: number): OverlayLane[] {
  return [
    ...repeatedLane(findings, at),
    ...lacpLanes(control, at, endSec),
    ...redundancyLanes(control.redundancy, at, endSec),
    ...arpLanes(control, findings, at),
  ];
}

function repeatedLane(findings: Finding[], at: (t: Instant) => number): OverlayLane[] {
  const bursts = findings.filter((f) => f.kind === 'repeated-frames');
  if (bursts.length === 0) return [];
  return [
    {
      id: 'repeated',
      group: 'Repeated',
      label: 'Repeated frames',
      segments: bursts.map((f) => ({ fromSec: at(f.start), toSec: at(f.end), state: 'repeating' as const, text: f.summary })),
      ticks: Float64Array.from(bursts, (f) => at(f.start)),
      tickKinds: new Uint8Array(bursts.length),
    },
  ];
}

const LACP_WORDS: Record<string, string> = {
  'in-bundle': 'in the bundle: in sync, collecting, distributing',
  'out-of-sync': 'out of sync',
  expired: 'Expired',
  defaulted: 'Defaulted',
  'partner-lost': 'partner unknown (00:00:00:00:00:00)',
};

function lacpLanes(control: ControlFrames, at: (t: Instant) => number, endSec: number): OverlayLane[] {
  const byPort = new Map<string, ControlFrames['lacp']>();
  for (const e of control.lacp) {
    const key = `${e.actorSystem}/${e.actorPort}`;
    const list = byPort.get(key);
    if (list) list.push(e);
    else byPort.set(key, [e]);
  }
  return [...byPort].map(([port, list]) => {
    const segments: OverlaySegment[] = [];
    list.forEach((e, i) => {
      const interval = e.partnerState & 0x02 ? 1 : 30;
      const from = at(e.t);
      const next = i + 1 < list.length ? at(list[i + 1].t) : endSec;
      // Beyond three intervals the partner has timed this port out: a gap, not a state.
      const to = Math.min(next, from + 3 * interval);
      const state = lacpCondition(e);
      segments.push({
        fromSec: from,
        toSec: to,
        state,
        text: `LACP port ${port}: ${LACP_WORDS[state]} (actor 0x${e.actorState.toString(16)}, partner ${e.partnerSystem} port ${e.partnerPort})`,
      });
    });
    return {
      id: `lacp ${port}`,
      group: 'LACP' as const,
      label: `LACP ${list[0].actorPort} ·${list[0].actorSystem.slice(-5)}`,
      segments,
      ticks: Float64Array.from(list, (e) => at(e.t)),
      tickKinds: new Uint8Array(list.length),
    };
  });
}

function redundancyLanes(events: RedundancyEvent[], at: (t: Instant) => number, endSec: number): OverlayLane[] {
  const byGroup = new Map<string, RedundancyEvent[]>();
  for (const e of events) {
    const key = `${e.protocol}v${e.version} ${e.group}`;
    const list = byGroup.get(key);
    if (list) list.push(e);
    else byGroup.set(key, [e]);
  }
  return [...byGroup].map(([group, list]) => {
    const routers: string[] = [];
    const segments: OverlaySegment[] = [];
    const actives = list.filter((e) => e.role === 'active');
    actives.forEach((e, i) => {
      if (!routers.includes(e.srcIp)) routers.push(e.srcIp);
      const from = at(e.t);
      const next = i + 1 < actives.length ? at(actives[i + 1].t) : endSec;
      segments.push({
        fromSec: from,
        toSec: Math.min(next, from + e.holdSec),
        state: `active-${routers.indexOf(e.srcIp) % 4}` as OverlayState,
        text: `${group} (virtual ${e.virtualIp}): ${e.srcIp} ${e.protocol === 'HSRP' ? 'Active' : 'master'}, priority ${e.priority}`,
      });
    });
    return {
      id: group,
      group: list[0].protocol,
      label: group,
      segments,
      ticks: Float64Array.from(list, (e) => at(e.t)),
      tickKinds: Uint8Array.from(list, (e) => (e.role === 'active' ? TICK_MESSAGE : TICK_REPLY)),
    };
  });
}

function arpLanes(control: ControlFrames, findings: Finding[], at: (t: Instant) => number): OverlayLane[] {
  const byTarget = new Map<string, ControlFrames['arp']>();
  for (const e of control.arp) {
    // A reply belongs to the lane of the address it answers for.
    const key = e.opcode === 2 ? e.senderIp : e.targetIp;
    const list = byTarget.get(key);
    if (list) list.push(e);
    else byTarget.set(key, [e]);
  }
  const busiest = [...byTarget].sort((a, b) => b[1].length - a[1].length).slice(0, ARP_LANES);
  return busiest.map(([target, list]) => ({
    id: `arp ${target}`,
    group: 'ARP' as const,
    label: `ARP ${target}`,
    segments: findings
      .filter((f) => f.kind === 'arp-unanswered' && f.detail.target === target)
      .map((f) => ({ fromSec: at(f.start), toSec: at(f.end), state: 'unanswered' as const, text: f.summary })),
    ticks: Float64Array.from(list, (e) => at(e.t)),
    tickKinds: Uint8Array.from(list, (e) => (e.opcode === 2 ? TICK_REPLY : e.broadcast ? TICK_REQUEST_BROADCAST : TICK_REQUEST_UNICAST)),
  }));
}
