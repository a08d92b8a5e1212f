/**
 * Axis ticks that are round in the unit the user reads: wall-clock minutes and seconds when
 * the window spans seconds or more (d3's time scale, local time), decimal fractions of a
 * second below that.
 */
import { scaleLinear, scaleTime } from 'd3';
import type { TimeMode } from './time-labels.ts';

export interface AxisTicks {
  times: number[];
  stepSec: number;
}

export function axisTicks(fromSec: number, toSec: number, baseSec: number, originSec: number, mode: TimeMode, count: number): AxisTicks {
  const span = toSec - fromSec;
  if (mode === 'wall' && span / count >= 1) {
    const scale = scaleTime().domain([new Date((baseSec + fromSec) * 1000), new Date((baseSec + toSec) * 1000)]);
    const times = scale.ticks(count).map((d) => d.getTime() / 1000 - baseSec);
    return { times, stepSec: times.length > 1 ? times[1] - times[0] : span };
  }
  // Linear ticks over an origin-relative domain keep the numbers small and the steps round.
  const origin = mode === 'relative' ? originSec : Math.floor(fromSec);
  const scale = scaleLinear().domain([fromSec - origin, toSec - origin]);
  const ticks = scale.ticks(count);
  return { times: ticks.map((t) => t + origin), stepSec: ticks.length > 1 ? ticks[1] - ticks[0] : span };
}
