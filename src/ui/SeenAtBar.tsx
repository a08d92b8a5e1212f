import type { SeenAt } from '../session/contract.ts';
import { durationLabel } from './timeline/time-labels.ts';

interface Props {
  here: string;
  others: SeenAt[];
  nat: boolean;
  onNat: (on: boolean) => void;
  /** Shift a capture's clock so the selected packet lines up there. */
  onAlign: (capture: number, deltaSec: number) => void;
}

/** Where else the selected packet was seen, and when, at the other capture points. */
export function SeenAtBar({ here, others, nat, onNat, onAlign }: Props) {
  return (
    <div className="seen-at" data-testid="seen-at">
      <label className="nat" title="Leave IP addresses and TCP/UDP ports out of the comparison, for packets that cross NAT">
        <input type="checkbox" checked={nat} onChange={(e) => onNat(e.currentTarget.checked)} /> through NAT
      </label>{' '}
      seen at: <strong>{here}</strong> (this packet)
      {others.map((o) => (
        <span key={o.capture}>
          {' · '}
          <strong>{o.name}</strong>{' '}
          {!o.checked
            ? 'too busy around then to compare'
            : o.deltaSec === null
              ? '– not seen'
              : `${o.deltaSec >= 0 ? '+' : '−'}${durationLabel(Math.abs(o.deltaSec))}`}
          {o.deltaSec !== null && o.deltaSec !== 0 && (
            <button type="button" className="link" onClick={() => onAlign(o.capture, o.deltaSec!)} title={`Shift ${o.name}'s clock so this packet lines up`}>
              align
            </button>
          )}
        </span>
      ))}
    </div>
  );
}
