import { useState } from 'react';
import type { ExportFormat, Pick } from '../export/capture-export.ts';
import type { Engine } from './engine.ts';
import { download } from './download.ts';
import { countText } from './format.ts';

interface Props {
  engine: Engine;
  /** The list rows shown: the filtered packets, or those of the time window. */
  from: number;
  to: number;
  baseName: string;
  /** Marked packets (with notes) and marked time ranges (seconds since the base). */
  marked: Pick[];
  ranges: { fromSec: number; toSec: number }[];
}

type What = 'shown' | 'marked' | 'marked-ranges';

/** Saves the packets the list shows as pcapng or pcap, built from slices of the opened files. */
export function ExportButton({ engine, from, to, baseName, marked, ranges }: Props) {
  const [format, setFormat] = useState<ExportFormat>('pcapng');
  const [what, setWhat] = useState<What>('shown');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const count = what === 'shown' ? Math.max(0, to - from) : marked.length;
  const empty = what === 'shown' ? count === 0 : what === 'marked' ? marked.length === 0 : marked.length + ranges.length === 0;

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, packets } = what === 'shown' ? await engine.exportBlob(format, from, to) : await engine.exportPicks(format, marked, what === 'marked-ranges' ? ranges : []);
      download(blob, `${baseName}-${what === 'shown' ? '' : 'marked-'}${packets}-packets.${format}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="export">
      <button type="button" data-testid="export" onClick={save} disabled={busy || empty} title="Save packets with their original bytes and timestamps: those the list shows (filter and time window), the marked ones, or the marked ones and the marked ranges">
        {busy ? 'Exporting…' : what === 'shown' ? `Export ${countText(count)}` : 'Export'}
      </button>
      <select aria-label="What to export" value={what} onChange={(e) => setWhat(e.currentTarget.value as What)}>
        <option value="shown">shown packets</option>
        <option value="marked">marked packets</option>
        <option value="marked-ranges">marked packets and ranges</option>
      </select>
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
