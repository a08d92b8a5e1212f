/**
 * HSRP and VRRP, per group: changes of the active router (HSRP Active, VRRP master: the
 * one advertising), and hellos from the active router missing beyond the hold time.
 */
import type { RedundancyEvent } from './control-frames.ts';
import { secondsBetween, type Finding, type Instant } from './finding.ts';

export function redundancyFindings(events: RedundancyEvent[], captureEnd: Instant): Finding[] {
  const byGroup = new Map<string, RedundancyEvent[]>();
  for (const e of events) {
    const key = `${e.protocol}|${e.version}|${e.group}`;
    const list = byGroup.get(key) ?? [];
    list.push(e);
    byGroup.set(key, list);
  }
  const out: Finding[] = [];
  for (const list of byGroup.values()) out.push(...changes(list), ...missed(list, captureEnd));
  return out;
}

function subject(e: RedundancyEvent): string {
  return `${e.protocol}v${e.version} group ${e.group}`;
}

function changes(list: RedundancyEvent[]): Finding[] {
  const out: Finding[] = [];
  let active = '';
  for (const e of list) {
    if (e.role !== 'active' || e.srcIp === active) continue;
    const previous = active;
    active = e.srcIp;
    // The first active router seen is the starting point, not a change.
    if (!previous) continue;
    const kind = e.protocol === 'HSRP' ? 'hsrp-state' : 'vrrp-state';
    const role = e.protocol === 'HSRP' ? 'Active' : 'master';
    out.push({
      kind,
      start: e.t,
      end: e.t,
      firstRow: e.row,
      frames: 1,
      subject: subject(e),
      summary: `${subject(e)} (virtual ${e.virtualIp}): ${e.srcIp} becomes ${role}, priority ${e.priority}, after ${previous}`,
      detail: { protocol: e.protocol, group: e.group, active: e.srcIp, previous, priority: e.priority, virtualIp: e.virtualIp },
    });
  }
  return out;
}

/** Hellos from the active router further apart than its hold time (or none until the end). */
function missed(list: RedundancyEvent[], captureEnd: Instant): Finding[] {
  const out: Finding[] = [];
  const actives = list.filter((e) => e.role === 'active');
  for (let i = 0; i < actives.length; i++) {
    const e = actives[i];
    const next = i + 1 < actives.length ? actives[i + 1].t : captureEnd;
    const gap = secondsBetween(e.t, next);
    if (gap <= e.holdSec) continue;
    const kind = e.protocol === 'HSRP' ? 'hsrp-missed' : 'vrrp-missed';
    const resumed = i + 1 < actives.length;
    const holdSec = Number(e.holdSec.toFixed(3));
    out.push({
      kind,
      start: { sec: e.t.sec + Math.floor(e.holdSec), ns: e.t.ns + Math.round((e.holdSec % 1) * 1e9) },
      end: next,
      firstRow: e.row,
      frames: 1,
      subject: subject(e),
      summary: `${subject(e)}: no ${e.protocol === 'HSRP' ? 'hello' : 'advertisement'} seen from ${e.srcIp} for more than its hold time of ${holdSec} s (silent ${gap.toFixed(1)} s${resumed ? '' : ', to the end of the capture'})`,
      detail: { protocol: e.protocol, group: e.group, router: e.srcIp, holdSec, silentSec: Number(gap.toFixed(3)), resumed },
    });
  }
  return out.map(normalise);
}

function normalise(f: Finding): Finding {
  if (f.start.ns >= 1e9) f.start = { sec: f.start.sec + Math.floor(f.start.ns / 1e9), ns: f.start.ns % 1e9 };
  return f;
}
