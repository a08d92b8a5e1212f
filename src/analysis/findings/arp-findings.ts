/**
 * ARP: requests nobody answers (one finding per host, target and mode, so the switch from
 * unicast to broadcast is its own line), request storms, and an address claimed by two MACs.
 */
import type { ArpEvent } from './control-frames.ts';
import { partitionPoint } from '../../store/search.ts';
import { before, secondsBetween, type Finding, type Instant } from './finding.ts';

/** A reply this soon after a request answers it (Linux retransmits after 1 s). */
const ANSWER_WITHIN_SEC = 1;
/** Unanswered requests further apart than this are separate runs (separate findings). */
const RUN_GAP_SEC = 30;
/** Fewer unanswered requests than this in a run is ordinary loss, not a finding. */
const UNANSWERED_MIN = 3;
/** Wireshark's default ARP storm threshold: 30 requests in 100 ms. */
const STORM_REQUESTS = 30;
const STORM_WINDOW_SEC = 0.1;
/** Storm windows closer than this are one storm (a capture that keeps bursts shows it in pieces). */
const STORM_MERGE_SEC = 30;

const REQUEST = 1;
const REPLY = 2;

export function arpFindings(events: ArpEvent[]): Finding[] {
  return [...unanswered(events), ...storms(events), ...conflicts(events)];
}

function unanswered(events: ArpEvent[]): Finding[] {
  // Replies by (who answers, to whom), in time order.
  const replies = new Map<string, Instant[]>();
  for (const e of events) {
    if (e.opcode !== REPLY) continue;
    const key = `${e.senderIp}>${e.targetIp}`;
    const list = replies.get(key) ?? [];
    list.push(e.t);
    replies.set(key, list);
  }
  const answered = (e: ArpEvent) => {
    const list = replies.get(`${e.targetIp}>${e.senderIp}`);
    if (!list) return false;
    // The first reply at or after the request (replies are in time order).
    const i = partitionPoint(0, list.length, (k) => before(list[k], e.t));
    return i < list.length && secondsBetween(e.t, list[i]) <= ANSWER_WITHIN_SEC;
  };

  // Runs per sender, target and mode; a pause longer than RUN_GAP_SEC starts a new run.
  const open = new Map<string, ArpEvent[]>();
  const runs: ArpEvent[][] = [];
  for (const e of events) {
    if (e.opcode !== REQUEST || e.kind !== 'request' || answered(e)) continue;
    const key = `${e.senderIp}|${e.targetIp}|${e.broadcast ? 'broadcast' : 'unicast'}`;
    let list = open.get(key);
    if (!list || secondsBetween(list[list.length - 1].t, e.t) > RUN_GAP_SEC) {
      list = [];
      open.set(key, list);
      runs.push(list);
    }
    list.push(e);
  }
  const out: Finding[] = [];
  for (const list of runs) {
    if (list.length < UNANSWERED_MIN) continue;
    const first = list[0];
    const last = list[list.length - 1];
    const mode = first.broadcast ? 'broadcast' : 'unicast';
    const span = secondsBetween(first.t, last.t);
    const rate = span > 0 ? list.length / span : 0;
    const to = first.broadcast ? 'to everyone (broadcast)' : `to ${destinationOf(first)}`;
    out.push({
      kind: 'arp-unanswered',
      start: first.t,
      end: last.t,
      firstRow: first.row,
      frames: list.length,
      subject: `${first.senderIp} asking for ${first.targetIp}`,
      summary: `${first.senderIp} asks ${mode} "who has ${first.targetIp}?" ${to}: ${list.length.toLocaleString('en-US')} requests${rate ? ` (${rateText(rate)})` : ''}, never answered`,
      detail: {
        mode,
        sender: first.senderIp,
        senderMac: first.senderMac,
        target: first.targetIp,
        to: first.dstMac,
        requests: list.length,
        perSecond: Math.round(rate),
      },
    });
  }
  return out;
}

/** A unicast request goes to the MAC the sender had cached: name it. */
function destinationOf(e: ArpEvent): string {
  return e.dstMac ? `its cached MAC ${e.dstMac}` : 'its cached MAC';
}

/** Windows where one sender's requests exceed Wireshark's threshold, merged while the rate stays above it. */
function storms(events: ArpEvent[]): Finding[] {
  const bySender = new Map<string, ArpEvent[]>();
  for (const e of events) {
    if (e.opcode !== REQUEST) continue;
    const list = bySender.get(e.senderMac) ?? [];
    list.push(e);
    bySender.set(e.senderMac, list);
  }
  const out: Finding[] = [];
  for (const list of bySender.values()) {
    let stormFrom = -1;
    let stormTo = -1;
    const flush = () => {
      if (stormFrom < 0) return;
      const first = list[stormFrom];
      const last = list[stormTo];
      const n = stormTo - stormFrom + 1;
      const span = secondsBetween(first.t, last.t);
      out.push({
        kind: 'arp-storm',
        start: first.t,
        end: last.t,
        firstRow: first.row,
        frames: n,
        subject: `ARP from ${first.senderMac} (${first.senderIp})`,
        summary: `ARP storm: ${first.senderIp} (${first.senderMac}) sends ${n.toLocaleString('en-US')} ARP requests in ${span.toFixed(1)} s, over ${STORM_REQUESTS} in ${STORM_WINDOW_SEC * 1000} ms`,
        detail: { sender: first.senderIp, senderMac: first.senderMac, requests: n, perSecond: span > 0 ? Math.round(n / span) : 0 },
      });
      stormFrom = -1;
    };
    for (let i = STORM_REQUESTS - 1; i < list.length; i++) {
      const windowFirst = i - (STORM_REQUESTS - 1);
      if (secondsBetween(list[windowFirst].t, list[i].t) > STORM_WINDOW_SEC) continue;
      // Above the threshold: extend the storm, or start one (a gap of a second ends it).
      if (stormFrom >= 0 && secondsBetween(list[stormTo].t, list[windowFirst].t) > STORM_MERGE_SEC) flush();
      if (stormFrom < 0) stormFrom = windowFirst;
      stormTo = i;
    }
    flush();
  }
  return out;
}

function conflicts(events: ArpEvent[]): Finding[] {
  const claims = new Map<string, Map<string, ArpEvent[]>>();
  for (const e of events) {
    // A probe (sender 0.0.0.0) claims nothing.
    if (e.senderIp === '0.0.0.0') continue;
    const byMac = claims.get(e.senderIp) ?? new Map<string, ArpEvent[]>();
    const list = byMac.get(e.senderMac) ?? [];
    list.push(e);
    byMac.set(e.senderMac, list);
    claims.set(e.senderIp, byMac);
  }
  const out: Finding[] = [];
  for (const [ip, byMac] of claims) {
    if (byMac.size < 2) continue;
    const all = [...byMac.values()].flat().sort((a, b) => (before(a.t, b.t) ? -1 : 1));
    // The finding starts where the second MAC first claims the address.
    const second = [...byMac.values()].map((l) => l[0]).sort((a, b) => (before(a.t, b.t) ? -1 : 1))[1];
    const macs = [...byMac.keys()];
    out.push({
      kind: 'arp-conflict',
      start: second.t,
      end: all[all.length - 1].t,
      firstRow: second.row,
      frames: all.length,
      subject: ip,
      summary: `${ip} is claimed by ${macs.length} MAC addresses: ${macs.join(', ')}`,
      detail: { address: ip, macs: macs.join(', ') },
    });
  }
  return out;
}

export function rateText(perSecond: number): string {
  if (perSecond >= 1000) return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  return `one every ${(1 / perSecond).toFixed(1)} s`;
}
