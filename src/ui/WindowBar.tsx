import { useState } from 'react';
import { durationLabel } from './timeline/time-labels.ts';
import type { Viewport } from './timeline/viewport.ts';

interface Props {
  span: Viewport;
  packets: number;
  filtered: boolean;
  onZoom: () => void;
  onClear: () => void;
  onMarkRange: (label: string) => void;
}

/** The time window chosen on the timeline (Shift-drag): what the list shows, and marking it as a range. */
export function WindowBar({ span, packets, filtered, onZoom, onClear, onMarkRange }: Props) {
  const [label, setLabel] = useState('');
  return (
    <div className="window-bar">
      Showing {packets.toLocaleString('en-US')} {filtered ? 'matching ' : ''}packets in a {durationLabel(span.toSec - span.fromSec)} window.{' '}
      <button type="button" onClick={onZoom}>
        Zoom to it
      </button>{' '}
      <button type="button" onClick={onClear}>
        Show all (Esc)
      </button>{' '}
      <input className="range-label" aria-label="Range label" placeholder="label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
      <button
        type="button"
        onClick={() => {
          onMarkRange(label);
          setLabel('');
        }}
      >
        Mark range
      </button>
    </div>
  );
}
