import type { IngestProgress } from '../session/contract.ts';
import { bytesText, countText, durationText } from './format.ts';

export function IngestProgressBar({ progress, onCancel }: { progress: IngestProgress; onCancel: () => void }) {
  const { bytesRead, bytesTotal, packets, packetsPerSec, elapsedMs, fileName } = progress;
  const fraction = bytesTotal > 0 ? Math.min(1, bytesRead / bytesTotal) : 0;
  const leftMs = fraction > 0 ? (elapsedMs / fraction) * (1 - fraction) : Infinity;
  return (
    <section className="progress" data-testid="ingest-progress" aria-live="polite">
      <div className="progress-line">
        <strong>Reading {fileName}</strong>
        <span>
          {bytesText(bytesRead)} of {bytesText(bytesTotal)} · {countText(packets)} packets · {countText(packetsPerSec)} packets/s · {durationText(leftMs)} left
        </span>
        <button type="button" onClick={onCancel}>
          Cancel (keep what was read)
        </button>
      </div>
      <progress max={1} value={fraction} />
    </section>
  );
}
