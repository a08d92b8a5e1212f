import type { StripEntry } from './app/viewer-state.ts';
import { countText, durationText } from './format.ts';

/** The open files in one line each, with anything that went wrong said plainly. */
interface Props {
  opened: StripEntry[];
  packets: number;
  /** Clock offsets by capture id (seconds). */
  offsets: number[];
  /** While a read runs, nothing can be closed (Cancel stops the read). */
  reading: boolean;
  onOffset: (capture: number, seconds: number) => void;
  onClose: (entry: StripEntry) => void;
}

export function CaptureStrip({ opened, packets, offsets, reading, onOffset, onClose }: Props) {
  if (opened.length === 0 && packets === 0) return null;
  return (
    <section className="captures" aria-label="Open captures">
      <span className="packet-total">
        <strong data-testid="packet-count">{countText(packets)}</strong> packets
      </span>
      <ul>
        {opened.map((o, i) => (
          <li key={`${o.id}-${i}`} className={o.error ? 'file error' : o.damage ? 'file damaged' : 'file'}>
            <button
              type="button"
              className="capture-close"
              data-testid="capture-close"
              disabled={reading}
              onClick={() => onClose(o)}
              aria-label={`Close ${o.name}`}
              title={o.error ? 'Dismiss' : `Close ${o.name} (its marks stay saved in this browser)`}
            >
              ×
            </button>
            <strong>{o.name}</strong>
            {o.error ? (
              <span role="alert"> could not be opened: {o.error}</span>
            ) : (
              <span>
                {' '}
                {o.demo ? 'demo, ' : ''}
                {o.format}, {countText(o.packets)} packets in {durationText(o.ingestMs)}
                {o.cancelled && ' (cancelled: what was read is kept)'}
                <label className="clock-offset" title="Seconds added to this capture's clock, to line it up with the others (Enter applies)">
                  {' '}
                  clock{' '}
                  <input
                    type="number"
                    step="0.000001"
                    data-testid="clock-offset"
                    aria-label={`Clock offset of ${o.name} in seconds`}
                    defaultValue={offsets[o.id] ?? 0}
                    key={offsets[o.id] ?? 0}
                    onKeyDown={(e) => e.key === 'Enter' && onOffset(o.id, Number(e.currentTarget.value) || 0)}
                  />{' '}
                  s
                </label>
              </span>
            )}
            {o.damage && (
              <span role="alert" className="damage">
                {' '}
                Read {countText(o.packets)} packets, then stopped at byte {countText(o.damage.offsetBytes)}: {o.damage.reason}
              </span>
            )}
            {o.warnings
              .filter((w) => !w.startsWith('stopped reading'))
              .map((w, j) => (
                <span key={j} className="warning">
                  {' '}
                  ⚠ {w}
                </span>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
