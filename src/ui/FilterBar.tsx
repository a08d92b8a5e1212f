import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { FilterOutcome } from '../session/contract.ts';

interface Props {
  text: string;
  onText: (text: string) => void;
  /** Applied filters, newest first. */
  history: string[];
  outcome: FilterOutcome | null;
  busy: boolean;
  onApply: (text: string) => void;
  /** The panels' toggles and the export, at the end of the bar. */
  children?: ReactNode;
}

/** tcpdump's filter language over the open captures: Enter applies, ↑/↓ walk the history. */
export function FilterBar({ text, onText, history, outcome, busy, onApply, children }: Props) {
  const [cursor, setCursor] = useState(-1);

  const apply = (value: string) => {
    onApply(value);
    setCursor(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') apply(text);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const next = Math.max(-1, Math.min(history.length - 1, cursor + (e.key === 'ArrowUp' ? 1 : -1)));
      setCursor(next);
      onText(next < 0 ? '' : history[next]);
    }
  };

  const share = outcome && !outcome.error && outcome.total ? (outcome.matched / outcome.total) * 100 : null;
  return (
    <div className="filter-bar">
      <input
        data-testid="filter-input"
        aria-label="tcpdump filter"
        className={outcome?.error ? 'invalid' : undefined}
        value={text}
        placeholder="tcpdump filter, e.g. not (vlan and ip and port 9090) — Enter to apply"
        spellCheck={false}
        onChange={(e) => onText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <button type="button" onClick={() => apply(text)} disabled={busy}>
        Apply
      </button>
      <button
        type="button"
        onClick={() => {
          onText('');
          apply('');
        }}
        disabled={!outcome?.text}
      >
        Clear
      </button>
      <span className="filter-status" data-testid="filter-count">
        {busy
          ? 'Filtering…'
          : outcome?.text && share !== null
            ? `${outcome.matched.toLocaleString('en-US')} of ${outcome.total.toLocaleString('en-US')} packets (${share.toFixed(share < 1 ? 2 : 1)} %)`
            : ''}
      </span>
      {children}
      {outcome?.error && (
        <div className="filter-error" data-testid="filter-error" role="alert">
          {outcome.error.message}
        </div>
      )}
    </div>
  );
}
