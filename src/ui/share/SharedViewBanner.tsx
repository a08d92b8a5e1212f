import type { SharedView } from '../../share/view-link.ts';

/** Notes listed in the banner; the Marks panel has them all once the view is applied. */
const SHOWN_NOTES = 12;
/** A note longer than this is cut in the banner (the validator already cut it to 4 KB). */
const NOTE_CHARS = 300;

/** A shared view waiting for its captures: what it holds, and what is still missing. */
export function SharedViewBanner({ view, problem, notices }: { view: SharedView; problem: string | null; notices: string[] }) {
  const notes = [
    ...view.marks.map((m) => (m.note ? `frame ${m.frame}: ${m.note}` : '')),
    ...view.ranges.map((r) => `${r.label}${r.note ? `: ${r.note}` : ''}`),
  ].filter(Boolean);
  const names = view.captures.map((c) => c.name);
  return (
    <section className="shared-view" data-testid="shared-view">
      <strong>A shared incident view.</strong> Drop {view.captures.length === 1 ? 'this capture' : 'these captures'} to see it:{' '}
      {cut(names.slice(0, 8).join(', '))}
      {names.length > 8 ? ` and ${names.length - 8} more` : ''}.
      {view.filter && (
        <>
          {' '}
          Filter: <code>{cut(view.filter)}</code>.
        </>
      )}
      {notes.length > 0 && (
        <ul>
          {notes.slice(0, SHOWN_NOTES).map((n, i) => (
            <li key={i}>{cut(n)}</li>
          ))}
          {notes.length > SHOWN_NOTES && <li className="muted">and {(notes.length - SHOWN_NOTES).toLocaleString('en-US')} more notes</li>}
        </ul>
      )}
      {notices.length > 0 && <div className="muted">{notices.join(' ')}</div>}
      {problem && <div role="alert">{problem}</div>}
    </section>
  );
}

function cut(text: string): string {
  return text.length > NOTE_CHARS ? `${text.slice(0, NOTE_CHARS)}…` : text;
}
