import type { SharedView } from '../../share/view-link.ts';

/** A shared view waiting for its captures: what it holds, and what is still missing. */
export function SharedViewBanner({ view, problem }: { view: SharedView; problem: string | null }) {
  const notes = [...view.marks.map((m) => (m.note ? `frame ${m.frame}: ${m.note}` : '')), ...view.ranges.map((r) => `${r.label}${r.note ? `: ${r.note}` : ''}`)].filter(Boolean);
  return (
    <section className="shared-view" data-testid="shared-view">
      <strong>A shared incident view.</strong> Drop {view.captures.length === 1 ? 'this capture' : 'these captures'} to see it: {view.captures.map((c) => c.name).join(', ')}.
      {view.filter && (
        <>
          {' '}
          Filter: <code>{view.filter}</code>.
        </>
      )}
      {notes.length > 0 && (
        <ul>
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {problem && <div role="alert">{problem}</div>}
    </section>
  );
}
