import { useEffect, useRef } from 'react';
import type { Theme } from './draw.ts';
import { TimelineController, type TimelineCallbacks, type TimelineSource } from './timeline-controller.ts';

/** Hosts the timeline canvas; the controller draws it, React never re-renders it on zoom. */
export function Timeline({ source, callbacks, theme, onReady }: { source: TimelineSource; callbacks: TimelineCallbacks; theme: Theme; onReady: (c: TimelineController | null) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const controller = new TimelineController(canvas.current!, source, callbacks, theme);
    onReady(controller);
    return () => {
      onReady(null);
      controller.destroy();
    };
  }, [source]);
  return (
    <div className="timeline" data-testid="timeline">
      <canvas ref={canvas} aria-label="Packet timeline: wheel or W/S to zoom, drag or A/D to pan, Shift-drag to select a time window, double-click to fit" />
    </div>
  );
}
