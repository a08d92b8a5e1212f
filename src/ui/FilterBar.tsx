import { useState, type KeyboardEvent } from 'react';
import type { FilterOutcome } from '../session/workspace.ts';

/** tcpdump's filter language over the open captures: Enter applies, ↑/↓ walk the history. */
export function FilterBar({ outcome, busy, onApply }: { outcome: FilterOutcome | null; busy: boolean; onApply: (text: string) => void }) {
  const [text, setText] = useState('');
  const [history, setHistory] = useState<string[]>(() => JSON.parse(localStorage.getItem('pt-filter-history') ?? '[]'));
  const [cursor, setCursor] = useState(-1);

  const apply = (value: string) => {
    onApply(value);
    if (value.trim() && history[0] !== value) {
      const next = [value, ...history.filter((h) => h !== value)].slice(0, 50);
      setHistory(next);
      localStorage.setItem('pt-filter-history', JSON.stringify(next));
    }
    setCursor(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') apply(text);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const next = Math.max(-1, Math.min(history.length - 1, cursor + (e.key === 'ArrowUp' ? 1 : -1)));
      setCursor(next);
      setText(next < 0 ? '' : history[next]);
    }
  };

  const share = outcome && !outcome.error && outcome.total ? (outcome.matched / outcome.total) * 100 : null;
  return (
    <div className="filter-bar">
      <input
        data-testid="filter-input"
        className={outcome?.error ? 'invalid' : undefined}
        value={text}
        placeholder="tcpdump filter, e.g. not (vlan and ip and port 9090) — Enter to apply"
        spellCheck={false}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <button type="button" onClick={() => apply(text)} disabled={busy}>
        Apply
      </button>
      <button
        type="button"
        onClick={() => {
          setText('');
          apply('');
        }}
        disabled={!outcome?.text}
      >
        Clear
      </button>
      <span className="filter-status" data-testid="filter-count">
        {busy ? 'Filtering…' : outcome?.text && share !== null ? `${outcome.matched.toLocaleString('en-US')} of ${outcome.total.toLocaleString('en-US')} packets (${share.toFixed(share < 1 ? 2 : 1)} %)` : ''}
      </span>
      {outcome?.error && (
        <div className="filter-error" data-testid="filter-error" role="alert">
          {outcome.error.message}
        </div>
      )}
    </div>
  );
}
