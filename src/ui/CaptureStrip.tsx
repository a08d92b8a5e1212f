import type { OpenedCapture } from '../session/contract.ts';
import { countText, durationText } from './format.ts';

/** The open files in one line each, with anything that went wrong said plainly. */
interface Props {
  opened: OpenedCapture[];
  packets: number;
  /** Clock offsets by capture id (seconds), editable when several captures are merged. */
  offsets: number[];
  onOffset: (capture: number, seconds: number) => void;
}

export function CaptureStrip({ opened, packets, offsets, onOffset }: Props) {
  if (opened.length === 0 && packets === 0) return null;
  const merged = opened.filter((o) => o.id >= 0).length > 1;
  return (
    <section className="captures">
      <span className="packet-total">
        <strong data-testid="packet-count">{countText(packets)}</strong> packets
      </span>
      <ul>
        {opened.map((o, i) => (
          <li key={i} className={o.error ? 'file error' : o.damage ? 'file damaged' : 'file'}>
            <strong>{o.name}</strong>
            {o.error ? (
              <span role="alert"> could not be opened: {o.error}</span>
            ) : (
              <span>
                {' '}
                {o.format}, {countText(o.packets)} packets in {durationText(o.ingestMs)}
                {o.cancelled && ' (cancelled: what was read is kept)'}
                {merged && (
                  <label className="clock-offset">
                    {' '}
                    clock offset{' '}
                    <input
                      type="number"
                      step="0.000001"
                      aria-label={`Clock offset of ${o.name} in seconds`}
                      defaultValue={offsets[o.id] ?? 0}
                      key={offsets[o.id] ?? 0}
                      onBlur={(e) => onOffset(o.id, Number(e.currentTarget.value) || 0)}
                      onKeyDown={(e) => e.key === 'Enter' && onOffset(o.id, Number(e.currentTarget.value) || 0)}
                    />{' '}
                    s
                  </label>
                )}
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
