import type { FindingKind, PlacedFinding } from '../session/contract.ts';
import { countText } from './format.ts';
import { timeCell, type TimeOrigin } from './list/time-cell.ts';
import type { TimeMode } from './timeline/time-labels.ts';

const KIND_LABELS: Record<FindingKind, string> = {
  'repeated-frames': 'Repeated frames',
  'arp-unanswered': 'ARP unanswered',
  'arp-storm': 'ARP storm',
  'arp-conflict': 'ARP conflict',
  'lacp-state': 'LACP state',
  'lacp-missed': 'LACP missed',
  'hsrp-state': 'HSRP change',
  'vrrp-state': 'VRRP change',
  'hsrp-missed': 'HSRP missed',
  'vrrp-missed': 'VRRP missed',
  'still-receiving': 'Still receiving',
  vanished: 'Vanished',
};

interface Props {
  findings: PlacedFinding[] | null;
  mode: TimeMode;
  origin: TimeOrigin;
  onPick: (f: PlacedFinding) => void;
}

/** The incident in lines: each finding with its start, its packets, and a sentence; a click goes there. */
export function FindingsPanel({ findings, mode, origin, onPick }: Props) {
  return (
    <section className="findings" aria-label="Findings">
      {findings === null ? (
        <p className="muted">Looking for repeated frames, unanswered ARP, LACP, HSRP and VRRP changes…</p>
      ) : findings.length === 0 ? (
        <p className="muted">No findings: no repeated-frame bursts, unanswered or conflicting ARP, LACP, HSRP or VRRP trouble in these captures.</p>
      ) : (
        <ol>
          {findings.map((f, i) => (
            <li key={i}>
              <button
                type="button"
                data-testid="finding"
                className={`finding ${f.kind}`}
                onClick={() => onPick(f)}
                title={`Go to frame ${f.firstRow + 1} and zoom to the finding`}
              >
                <span className="finding-time">{timeCell(f.start.sec, f.start.ns, mode, origin)}</span>
                <span className="finding-kind">{KIND_LABELS[f.kind]}</span>
                <span className="finding-frames">
                  frame {f.firstRow + 1}
                  {f.frames > 1 ? ` · ${countText(f.frames)} packets` : ''}
                </span>
                <span className="finding-summary">{f.summary}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
