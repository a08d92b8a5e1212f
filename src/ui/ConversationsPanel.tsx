import type { Conversation, ConversationKind } from '../session/contract.ts';
import type { ConversationsState } from './app/viewer-state.ts';
import { bytesText, countText, durationText } from './format.ts';
import { timeCell, type TimeOrigin } from './list/time-cell.ts';
import type { TimeMode } from './timeline/time-labels.ts';

const KINDS: { kind: ConversationKind; label: string }[] = [
  { kind: 'flow', label: '5-tuple' },
  { kind: 'ip', label: 'IP pair' },
  { kind: 'ether', label: 'Ethernet pair' },
  { kind: 'proto', label: 'Protocol' },
  { kind: 'vlan', label: 'VLAN' },
];

interface Props {
  state: ConversationsState;
  mode: TimeMode;
  origin: TimeOrigin;
  onKind: (kind: ConversationKind) => void;
  onBy: (by: 'packets' | 'bytes') => void;
  onOnly: (filter: string) => void;
  onExclude: (c: Conversation) => void;
}

/** Top talkers, counted in the worker: each row's Only and Exclude write the tcpdump expression they mean. */
export function ConversationsPanel({ state, mode, origin, onKind, onBy, onOnly, onExclude }: Props) {
  const { kind, by, table, problem } = state;
  return (
    <section className="conversations" aria-label="Conversations">
      <div className="conversations-bar">
        <div role="tablist" aria-label="Conversations by">
          {KINDS.map((k) => (
            <button
              key={k.kind}
              role="tab"
              type="button"
              aria-selected={kind === k.kind}
              className={kind === k.kind ? 'pressed' : undefined}
              onClick={() => onKind(k.kind)}
            >
              {k.label}
            </button>
          ))}
        </div>
        <span className="muted">
          {table
            ? `${countText(table.count)} conversations${table.count > table.rows.length ? `, largest ${table.rows.length} shown` : ''} · ${durationText(table.computeMs)}`
            : 'Counting…'}
        </span>
      </div>
      {problem && (
        <div className="conversations-problem" role="alert">
          {problem}
        </div>
      )}
      <div className="conversations-scroller">
        <table data-kind={table?.kind}>
          <thead>
            <tr>
              <th>{kind === 'proto' ? 'Protocol' : kind === 'vlan' ? 'VLAN' : 'Between'}</th>
              <th className="num">
                <button type="button" className={by === 'packets' ? 'sort active' : 'sort'} onClick={() => onBy('packets')}>
                  Packets{by === 'packets' ? ' ▾' : ''}
                </button>
              </th>
              <th className="num">
                <button type="button" className={by === 'bytes' ? 'sort active' : 'sort'} onClick={() => onBy('bytes')}>
                  Bytes{by === 'bytes' ? ' ▾' : ''}
                </button>
              </th>
              <th className="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {table?.rows.map((c) => (
              <tr
                key={c.key}
                data-testid="conversation-row"
                title={`first ${timeCell(c.firstSec, c.firstNs, mode, origin)}, last ${timeCell(c.lastSec, c.lastNs, mode, origin)}`}
              >
                <td className="who">
                  <div>
                    {kind === 'flow' ? `${c.transport} ${c.a}` : c.a}
                    {kind !== 'proto' && kind !== 'vlan' && <> ↔ {c.b}</>}
                    {kind === 'flow' && c.vlan ? ` · VLAN ${c.vlan}` : ''}
                  </div>
                  <div className="expression">
                    {c.filter ? (
                      <>
                        <button type="button" onClick={() => onOnly(c.filter!)} title={`Filter: ${c.filter}`}>
                          Only
                        </button>
                        <button type="button" onClick={() => onExclude(c)} title={`Filter: … and not (${c.filter})`}>
                          Exclude
                        </button>
                        <code>{c.filter}</code>
                      </>
                    ) : (
                      <span className="muted">no exact tcpdump expression</span>
                    )}
                  </div>
                </td>
                <td className="num" title={`A→B ${countText(c.packetsAToB)}, B→A ${countText(c.packetsBToA)}`}>
                  {countText(c.packets)}
                </td>
                <td className="num" title={`A→B ${bytesText(c.bytesAToB)}, B→A ${bytesText(c.bytesBToA)}`}>
                  {bytesText(c.bytes)}
                </td>
                <td className="num">{share(c.packets, table.packets)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function share(n: number, total: number): string {
  if (!total) return '–';
  const pct = (100 * n) / total;
  return `${pct.toFixed(pct < 1 ? 2 : 1)} %`;
}
