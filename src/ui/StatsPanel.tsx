import type { Stats } from '../store/summary.ts';
import type { OpenedCapture } from '../store/workspace.ts';
import { bytesText, countText, durationText } from './format.ts';

export function StatsPanel({ opened, stats }: { opened: OpenedCapture[]; stats: Stats | null }) {
  if (opened.length === 0) return null;
  return (
    <section className="stats">
      <ul className="files">
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
              </span>
            )}
            {o.damage && (
              <p role="alert">
                Read {countText(o.packets)} packets, then stopped at byte {countText(o.damage.offsetBytes)}: {o.damage.reason}
              </p>
            )}
            {o.warnings.filter((w) => !o.damage || !w.startsWith('stopped reading')).map((w, j) => (
              <p key={j} className="warning">
                {w}
              </p>
            ))}
          </li>
        ))}
      </ul>
      {stats && stats.packets > 0 && (
        <dl className="summary">
          <dt>Packets</dt>
          <dd data-testid="packet-count">{countText(stats.packets)}</dd>
          <dt>First</dt>
          <dd>{stats.first}</dd>
          <dt>Last</dt>
          <dd>{stats.last}</dd>
          <dt>Store</dt>
          <dd>
            {bytesText(stats.storeBytes)} ({stats.bytesPerPacket} bytes per packet)
          </dd>
          {Object.entries(stats.protocols).map(([name, n]) => (
            <div key={name} className="protocol">
              <dt>{name}</dt>
              <dd>{countText(n)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
