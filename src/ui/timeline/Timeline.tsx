import { useEffect, useRef } from 'react';
import { PROTOCOL_CLASS_NAMES } from '../../decode/protocol-class.ts';
import type { Overview } from '../../session/contract.ts';
import type { Theme } from './draw.ts';
import { TimelineController, type TimelineCallbacks, type TimelineSource } from './timeline-controller.ts';

interface Props {
  source: TimelineSource;
  overview: Overview | null;
  callbacks: TimelineCallbacks;
  theme: Theme;
  onReady: (c: TimelineController | null) => void;
}

/** Hosts the timeline canvas; the controller draws it, React never re-renders it on zoom. */
export function Timeline({ source, overview, callbacks, theme, onReady }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const controller = useRef<TimelineController | null>(null);
  useEffect(() => {
    const c = new TimelineController(canvas.current!, source, callbacks, theme);
    controller.current = c;
    onReady(c);
    return () => {
      onReady(null);
      c.destroy();
    };
  }, [source]);
  useEffect(() => {
    if (!overview || overview.packets === 0) return;
    const classes = overview.classCounts.flatMap((n, cls) => (n > 0 ? [{ cls, name: PROTOCOL_CLASS_NAMES[cls] ?? 'other' }] : []));
    controller.current?.setOverview({ fromSec: overview.fromSec, toSec: overview.toSec }, classes, PROTOCOL_CLASS_NAMES, overview.baseSec);
  }, [overview]);
  return (
    <div className="timeline" data-testid="timeline">
      <canvas ref={canvas} aria-label="Packet timeline: wheel or W/S to zoom, drag or A/D to pan, Shift-drag to select a time window, double-click to fit" />
    </div>
  );
}
