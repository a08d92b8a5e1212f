import type { ViewerModel } from './app/viewer-model.ts';
import type { ExportState } from './app/viewer-state.ts';
import { bytesText, countText } from './format.ts';

interface Props {
  model: ViewerModel;
  state: ExportState;
  /** Packets the export would hold, and whether there is nothing to export. */
  count: number;
  empty: boolean;
}

/**
 * Saves the packets the list shows (or the marked ones) as pcapng or pcap. The worker builds
 * the file in chunks of megabytes: **Export** gathers them into a Blob for a download (quick,
 * up to about 2 GB in Chromium); **Save as…**, where the browser offers File System Access,
 * writes them to a file the user picks, at any size in flat memory. Meanwhile a bar shows how
 * far it is, with a Cancel.
 */
export function ExportButton({ model, state, count, empty }: Props) {
  const { progress, what, format, error } = state;
  const busy = progress !== null;
  return (
    <span className="export">
      <button
        type="button"
        data-testid="export"
        onClick={() => model.exports.save(false)}
        disabled={busy || empty}
        title="Save packets with their original bytes and timestamps: those the list shows (filter and time window), the marked ones, or the marked ones and the marked ranges"
      >
        {busy ? 'Exporting…' : what === 'shown' ? `Export ${countText(count)}` : 'Export'}
      </button>
      {progress ? (
        <>
          <progress
            data-testid="export-progress"
            max={1}
            value={progress.bytesTotal > 0 ? progress.bytes / progress.bytesTotal : 0}
            title={`${bytesText(progress.bytes)} of ${bytesText(progress.bytesTotal)}`}
          />
          <span aria-live="polite">
            {countText(progress.packets)} of {countText(progress.packetsTotal)} packets
          </span>
          <button type="button" data-testid="export-cancel" onClick={() => model.exports.cancel()}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <select aria-label="What to export" value={what} onChange={(e) => model.exports.setWhat(e.currentTarget.value as ExportState['what'])}>
            <option value="shown">shown</option>
            <option value="marked">marked</option>
            <option value="marked-ranges">marked + ranges</option>
          </select>
          <select aria-label="Export format" value={format} onChange={(e) => model.exports.setFormat(e.currentTarget.value as ExportState['format'])}>
            <option value="pcapng">pcapng</option>
            <option value="pcap">pcap</option>
          </select>
          {model.exports.canPickFile() && (
            <button
              type="button"
              data-testid="export-save-as"
              onClick={() => model.exports.save(true)}
              disabled={empty}
              title="Write the export to a file you pick, chunk by chunk: any size, without holding it in memory"
            >
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
