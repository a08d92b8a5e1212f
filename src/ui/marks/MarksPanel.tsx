import { timeCell, type TimeOrigin } from '../list/time-cell.ts';
import type { TimeMode } from '../timeline/time-labels.ts';
import type { UiMark, UiRange } from './mark-set.ts';

/** Rows drawn at once: a view may bring 100,000 marks; the list shows the first of them. */
const SHOWN_ROWS = 500;

interface Props {
  marks: UiMark[];
  ranges: UiRange[];
  baseSec: number;
  mode: TimeMode;
  origin: TimeOrigin;
  notice: string | null;
  /** Why marks are not kept in this browser, or null while they are. */
  storageProblem: string | null;
  /** Everything shown is saved (or storage failed and said so): no write is pending. */
  saved: boolean;
  /** Marks and ranges that came with a shared view and are not saved until kept. */
  fromView: number;
  onKeep: () => void;
  onSaveFile: () => void;
  onJump: (m: UiMark) => void;
  onJumpRange: (r: UiRange) => void;
  onNote: (m: UiMark, note: string) => void;
  onRangeNote: (r: UiRange, note: string) => void;
  onRangeColor: (r: UiRange, color: string) => void;
  onRemove: (m: UiMark) => void;
  onRemoveRange: (r: UiRange) => void;
  onExport: () => void;
  onBundle: () => void;
}

/** Marked packets and time ranges, in time order, saved as they change. */
export function MarksPanel(p: Props) {
  const at = (sec: number) => {
    const abs = p.baseSec + sec;
    const whole = Math.floor(abs);
    return timeCell(whole, Math.round((abs - whole) * 1e9), p.mode, p.origin);
  };
  const rows = [...p.marks.map((m) => ({ t: m.timeSec, mark: m, range: null })), ...p.ranges.map((r) => ({ t: r.fromSec, mark: null, range: r }))].sort(
    (a, b) => a.t - b.t,
  );
  const shown = rows.slice(0, SHOWN_ROWS);
  return (
    <section className="marks" aria-label="Marks" data-saved={p.saved || p.storageProblem !== null}>
      <div className="marks-bar">
        <span className="muted">Ctrl+M marks the selected packet · Ctrl+Shift+N / B next and previous{p.storageProblem ? '' : ' · saved in this browser'}</span>
        <button type="button" onClick={p.onExport} disabled={p.marks.length === 0}>
          Export marked (pcapng, notes as comments)
        </button>
        <button
          type="button"
          onClick={p.onBundle}
          disabled={p.marks.length + p.ranges.length === 0}
          title="One pcapng: the marked and ranged packets with their notes, and this view; drop it here to get the view back, or open it in Wireshark"
        >
          Export incident bundle
        </button>
      </div>
      {p.storageProblem && (
        <div className="marks-warning" role="alert" data-testid="marks-storage">
          {p.storageProblem.charAt(0).toUpperCase() + p.storageProblem.slice(1)}.{' '}
          <button type="button" onClick={p.onSaveFile} disabled={rows.length === 0}>
            Save marks as a file
          </button>
        </div>
      )}
      {p.fromView > 0 && (
        <div className="marks-notice" role="status" data-testid="view-marks">
          {p.fromView.toLocaleString('en-US')} {p.fromView === 1 ? 'mark comes' : 'marks and ranges come'} from the shared view and{' '}
          {p.fromView === 1 ? 'is' : 'are'} not saved in this browser.{' '}
          <button type="button" onClick={p.onKeep}>
            Keep them
          </button>
        </div>
      )}
      {p.notice && (
        <div className="marks-notice" role="status">
          {p.notice}
        </div>
      )}
      {rows.length === 0 ? (
        <p className="muted">No marks yet.</p>
      ) : (
        <ol>
          {shown.map(({ mark, range }, i) =>
            mark ? (
              <li key={`m${i}`} data-testid="mark">
                <button type="button" onClick={() => p.onJump(mark)}>
                  {timeCell(mark.time.sec, mark.time.ns, p.mode, p.origin)}
                </button>
                <span className="mark-what">
                  frame {mark.frame} · {mark.captureName}
                </span>
                <input
                  aria-label={`Note for frame ${mark.frame}`}
                  value={mark.note}
                  placeholder="note"
                  onChange={(e) => p.onNote(mark, e.currentTarget.value)}
                />
                <button type="button" aria-label="Remove mark" onClick={() => p.onRemove(mark)}>
                  ×
                </button>
              </li>
            ) : (
              <li key={`r${i}`} data-testid="mark" className="range">
                <button type="button" onClick={() => p.onJumpRange(range!)}>
                  {at(range!.fromSec)}
                </button>
                <span className="mark-what">
                  <input
                    type="color"
                    aria-label={`Colour of range ${range!.label}`}
                    value={range!.color}
                    onChange={(e) => p.onRangeColor(range!, e.currentTarget.value)}
                  />{' '}
                  range “{range!.label}” · {(range!.toSec - range!.fromSec).toFixed(3)} s
                </span>
                <input
                  aria-label={`Note for range ${range!.label}`}
                  value={range!.note}
                  placeholder="note"
                  onChange={(e) => p.onRangeNote(range!, e.currentTarget.value)}
                />
                <button type="button" aria-label="Remove range" onClick={() => p.onRemoveRange(range!)}>
                  ×
                </button>
              </li>
            ),
          )}
        </ol>
      )}
      {rows.length > shown.length && (
        <p className="muted">
          and {(rows.length - shown.length).toLocaleString('en-US')} more (all are drawn on the timeline, exported and saved; Ctrl+Shift+N walks them)
        </p>
      )}
    </section>
  );
}
