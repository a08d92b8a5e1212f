import { useState } from 'react';
import { proxy } from 'comlink';
import type { ExportProgress, ExportFormat, Pick } from '../session/contract.ts';
import type { Engine } from './engine.ts';
import { canPickFile, download, pickSaveFile } from './download.ts';
import { bytesText, countText } from './format.ts';

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

/**
 * Saves the packets the list shows (or the marked ones) as pcapng or pcap. The worker builds
 * the file in chunks of megabytes: **Export** gathers them into a Blob for a download (quick,
 * up to about 2 GB in Chromium); **Save as…**, where the browser offers File System Access,
 * writes them to a file the user picks, at any size in flat memory. Meanwhile a bar shows how
 * far it is, with a Cancel.
 */
export function ExportButton({ engine, from, to, baseName, marked, ranges }: Props) {
  const [format, setFormat] = useState<ExportFormat>('pcapng');
  const [what, setWhat] = useState<What>('shown');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = progress !== null;
  const count = what === 'shown' ? Math.max(0, to - from) : marked.length;
  const empty = what === 'shown' ? count === 0 : what === 'marked' ? marked.length === 0 : marked.length + ranges.length === 0;

  const save = async (toFile: boolean) => {
    setError(null);
    let file: FileSystemFileHandle | null | undefined;
    try {
      // Asked first: the file dialog needs the click's user gesture.
      if (toFile) file = await pickSaveFile(what === 'shown' ? `${baseName}-${count}-packets.${format}` : `${baseName}-marked.${format}`);
    } catch (e) {
      setError(`Export failed: ${(e as Error).message}`);
      return;
    }
    if (file === null) return;
    setProgress({ packets: 0, packetsTotal: count, bytes: 0, bytesTotal: 0, elapsedMs: 0, done: false });
    const startMs = performance.now();
    // Progress comes through a port of its own, so a last report may arrive after the result.
    let over = false;
    const onProgress = proxy((p: ExportProgress) => over || setProgress(p));
    try {
      const { blob, packets } = what === 'shown' ? await engine.exportBlob(format, from, to, onProgress, file) : await engine.exportPicks(format, marked, what === 'marked-ranges' ? ranges : [], onProgress, file);
      // Written to the picked file already; else a download.
      if (!file) download(blob, `${baseName}-${what === 'shown' ? '' : 'marked-'}${packets}-packets.${format}`);
      // For tests and the curious: one 'export' measure per export done.
      performance.measure('export', { start: startMs, detail: { packets, bytes: blob.size, format, toFile: !!file } });
    } catch (e) {
      // Cancel is the user's choice, not a failure.
      if ((e as Error).name !== 'AbortError') setError(`Export failed: ${(e as Error).message}`);
    } finally {
      over = true;
      setProgress(null);
    }
  };

  return (
    <span className="export">
      <button type="button" data-testid="export" onClick={() => save(false)} disabled={busy || empty} title="Save packets with their original bytes and timestamps: those the list shows (filter and time window), the marked ones, or the marked ones and the marked ranges">
        {busy ? 'Exporting…' : what === 'shown' ? `Export ${countText(count)}` : 'Export'}
      </button>
      {progress ? (
        <>
          <progress data-testid="export-progress" max={1} value={progress.bytesTotal > 0 ? progress.bytes / progress.bytesTotal : 0} title={`${bytesText(progress.bytes)} of ${bytesText(progress.bytesTotal)}`} />
          <span aria-live="polite">
            {countText(progress.packets)} of {countText(progress.packetsTotal)} packets
          </span>
          <button type="button" data-testid="export-cancel" onClick={() => engine.cancelExport()}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <select aria-label="What to export" value={what} onChange={(e) => setWhat(e.currentTarget.value as What)}>
            <option value="shown">shown packets</option>
            <option value="marked">marked packets</option>
            <option value="marked-ranges">marked packets and ranges</option>
          </select>
          <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}>
            <option value="pcapng">pcapng</option>
            <option value="pcap">pcap</option>
          </select>
          {canPickFile() && (
            <button type="button" data-testid="export-save-as" onClick={() => save(true)} disabled={empty} title="Write the export to a file you pick, chunk by chunk: any size, without holding it in memory">
              Save as…
            </button>
          )}
        </>
      )}
      {error && (
        <span className="export-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
