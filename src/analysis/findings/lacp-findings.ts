/**
 * LACP, per port (actor system + port of the LACPDU's sender): the state changes its
 * LACPDUs report, and LACPDUs that stop for more than three intervals (802.1AX's
 * current_while timer: 3 x 1 s with short timeouts, 3 x 30 s with long ones).
 */
import type { LacpEvent } from './control-frames.ts';
import { secondsBetween, type Finding, type Instant } from './finding.ts';

const TIMEOUT = 0x02;
const SYNC = 0x08;
const COLLECTING = 0x10;
const DISTRIBUTING = 0x20;
const DEFAULTED = 0x40;
const EXPIRED = 0x80;
const IN_BUNDLE = SYNC | COLLECTING | DISTRIBUTING;
const NO_SYSTEM = '00:00:00:00:00:00';

export type LacpCondition = 'expired' | 'defaulted' | 'partner-lost' | 'out-of-sync' | 'recovered' | 'in-bundle';

/** What one LACPDU says about its sender's port, worst first. */
export function lacpCondition(e: LacpEvent): LacpCondition {
  if (e.partnerSystem === NO_SYSTEM && e.partnerPort === 0) return 'partner-lost';
  if (e.actorState & DEFAULTED) return 'defaulted';
  if (e.actorState & EXPIRED) return 'expired';
  if ((e.actorState & IN_BUNDLE) !== IN_BUNDLE) return 'out-of-sync';
  return 'in-bundle';
}

const WORDS: Record<Exclude<LacpCondition, 'in-bundle'>, string> = {
  expired: 'its partner Expired: no LACPDU received for 3 intervals; the port leaves the bundle (Sync kept, not collecting or distributing)',
  defaulted: 'Defaulted: the partner information was flushed',
  'partner-lost': 'partner system 00:00:00:00:00:00, port 0: the partner is gone, the port is out of the bond',
  'out-of-sync': 'out of sync: not collecting and distributing',
  recovered: 'back in the bundle: in sync, collecting and distributing',
};

export function lacpFindings(events: LacpEvent[], captureEnd: Instant): Finding[] {
  const byPort = new Map<string, LacpEvent[]>();
  for (const e of events) {
    const key = `${e.actorSystem}/${e.actorPort}`;
    const list = byPort.get(key) ?? [];
    list.push(e);
    byPort.set(key, list);
  }
  const out: Finding[] = [];
  for (const [port, list] of byPort) {
    out.push(...stateChanges(port, list), ...missed(port, list, captureEnd));
  }
  return out;
}

function stateChanges(port: string, list: LacpEvent[]): Finding[] {
  const out: Finding[] = [];
  let previous: LacpCondition = 'in-bundle';
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const now = lacpCondition(e);
    if (now === previous) continue;
    previous = now;
    const state = now === 'in-bundle' ? 'recovered' : now;
    // The finding lasts while the LACPDUs keep saying the same.
    let j = i;
    while (j + 1 < list.length && lacpCondition(list[j + 1]) === now) j++;
    out.push({
      kind: 'lacp-state',
      start: e.t,
      end: list[j].t,
      firstRow: e.row,
      frames: j - i + 1,
      subject: `LACP port ${port}`,
      summary: `LACP port ${e.actorPort} of ${e.actorSystem} reports ${WORDS[state]}`,
      detail: {
        state,
        actorSystem: e.actorSystem,
        actorPort: e.actorPort,
        actorState: hexByte(e.actorState),
        partnerSystem: e.partnerSystem,
        partnerPort: e.partnerPort,
        partnerState: hexByte(e.partnerState),
      },
    });
  }
  return out;
}

function hexByte(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** A gap longer than three of the sender's intervals, or an end of LACPDUs that long before the capture ends. */
function missed(port: string, list: LacpEvent[], captureEnd: Instant): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    // The sender transmits as its partner asked: fast when the partner's Timeout bit is set.
    const interval = e.partnerState & TIMEOUT ? 1 : 30;
    const nextAt = i + 1 < list.length ? list[i + 1].t : captureEnd;
    const gap = secondsBetween(e.t, nextAt);
    if (gap <= 3 * interval) continue;
    const deadline = addSeconds(e.t, 3 * interval);
    const resumed = i + 1 < list.length;
    out.push({
      kind: 'lacp-missed',
      start: deadline,
      end: resumed ? list[i + 1].t : captureEnd,
      firstRow: e.row,
      frames: 1,
      subject: `LACP port ${port}`,
      summary: `port ${e.actorPort} of ${e.actorSystem} sends no LACPDU for more than 3 x ${interval} s, so its partner times it out (silent ${gap.toFixed(1)} s${resumed ? '' : ', to the end of the capture'})`,
      detail: { actorSystem: e.actorSystem, actorPort: e.actorPort, intervalSec: interval, silentSec: Number(gap.toFixed(3)), resumed },
    });
  }
  return out;
}

function addSeconds(t: Instant, seconds: number): Instant {
  return { sec: t.sec + seconds, ns: t.ns };
}
