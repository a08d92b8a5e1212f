import { useState } from 'react';
import type { ExportFormat } from '../export/capture-export.ts';
import type { Engine } from './engine.ts';
import { download } from './download.ts';
import { countText } from './format.ts';

interface Props {
  engine: Engine;
  /** The list rows shown: the filtered packets, or those of the time window. */
  from: number;
  to: number;
  baseName: string;
}

/** Saves the packets the list shows as pcapng or pcap, built from slices of the opened files. */
export function ExportButton({ engine, from, to, baseName }: Props) {
  const [format, setFormat] = useState<ExportFormat>('pcapng');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const count = Math.max(0, to - from);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob } = await engine.exportBlob(format, from, to);
      download(blob, `${baseName}-${count}-packets.${format}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="export">
      <button type="button" data-testid="export" onClick={save} disabled={busy || count === 0} title="Save the packets the list shows (filter and time window), original bytes and timestamps">
        {busy ? 'Exporting…' : `Export ${countText(count)}`}
      </button>
      <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}>
        <option value="pcapng">pcapng</option>
        <option value="pcap">pcap</option>
      </select>
      {error && (
        <span className="export-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
