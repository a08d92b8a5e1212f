import { useEffect, useRef } from 'react';
import type { ViewerModel } from '../app/viewer-model.ts';
import { TimelineController } from './timeline-controller.ts';

/** Hosts the timeline canvas; the controller draws it (told by the model), React never re-renders it on zoom. */
export function Timeline({ model }: { model: ViewerModel }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = new TimelineController(canvas.current!, model.timelineSource, model.timelineCallbacks, model.timelineColors, model.activity);
    model.attachTimeline(c);
    return () => {
      model.attachTimeline(null);
      c.destroy();
    };
  }, [model]);
  return (
    <div className="timeline" data-testid="timeline">
      <canvas ref={canvas} aria-label="Packet timeline: wheel or W/S to zoom, drag or A/D to pan, Shift-drag to select a time window, double-click to fit" />
    </div>
  );
}
