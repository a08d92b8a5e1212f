import { useEffect, useState } from 'react';
import type { Conversation, ConversationKind, ConversationTable } from '../session/contract.ts';
import type { Engine } from './engine.ts';
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
  engine: Engine;
  /** Changes when captures are added: the table is asked again. */
  packets: number;
  filterText: string;
  onFilter: (text: string) => void;
  mode: TimeMode;
  origin: TimeOrigin;
}

/** Top talkers, in the worker: each row's Only and Exclude write the tcpdump expression they mean. */
export function ConversationsPanel({ engine, packets, filterText, onFilter, mode, origin }: Props) {
  const [kind, setKind] = useState<ConversationKind>('flow');
  const [by, setBy] = useState<'packets' | 'bytes'>('packets');
  const [table, setTable] = useState<ConversationTable | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setTable(null);
    engine.conversations(kind, by).then((t) => current && setTable(t));
    return () => {
      current = false;
    };
  }, [engine, kind, by, packets]);

  const exclude = async (c: Conversation) => {
    const joined = await engine.excluding(filterText, c.filter!);
    if ('problem' in joined) setProblem(joined.problem);
    else {
      setProblem(null);
      onFilter(joined.text);
    }
  };

  return (
    <section className="conversations" aria-label="Conversations">
      <div className="conversations-bar">
        <div role="tablist">
          {KINDS.map((k) => (
            <button key={k.kind} role="tab" type="button" aria-selected={kind === k.kind} className={kind === k.kind ? 'pressed' : undefined} onClick={() => setKind(k.kind)}>
              {k.label}
            </button>
          ))}
        </div>
        <span className="muted">
          {table ? `${countText(table.count)} conversations${table.count > table.rows.length ? `, largest ${table.rows.length} shown` : ''} · ${durationText(table.computeMs)}` : 'Counting…'}
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
              <th>{kind === 'proto' ? 'Protocol' : kind === 'vlan' ? 'VLAN' : 'A'}</th>
              {kind !== 'proto' && kind !== 'vlan' && <th>B</th>}
              {kind === 'flow' && <th>VLAN</th>}
              <th className="num">
                <button type="button" className={by === 'packets' ? 'sort active' : 'sort'} onClick={() => setBy('packets')}>
                  Packets{by === 'packets' ? ' ▾' : ''}
                </button>
              </th>
              <th className="num">
                <button type="button" className={by === 'bytes' ? 'sort active' : 'sort'} onClick={() => setBy('bytes')}>
                  Bytes{by === 'bytes' ? ' ▾' : ''}
                </button>
              </th>
              <th className="num">Share</th>
              <th>First</th>
              <th>Last</th>
              <th>tcpdump expression</th>
            </tr>
          </thead>
          <tbody>
            {table?.rows.map((c) => (
              <tr key={c.key} data-testid="conversation-row">
                <td>{kind === 'flow' ? `${c.transport} ${c.a}` : c.a}</td>
                {kind !== 'proto' && kind !== 'vlan' && <td>{c.b}</td>}
                {kind === 'flow' && <td>{c.vlan || '–'}</td>}
                <td className="num" title={`A→B ${countText(c.packetsAToB)}, B→A ${countText(c.packetsBToA)}`}>
                  {countText(c.packets)}
                </td>
                <td className="num" title={`A→B ${bytesText(c.bytesAToB)}, B→A ${bytesText(c.bytesBToA)}`}>
                  {bytesText(c.bytes)}
                </td>
                <td className="num">{share(c.packets, table.packets)}</td>
                <td>{timeCell(c.firstSec, c.firstNs, mode, origin)}</td>
                <td>{timeCell(c.lastSec, c.lastNs, mode, origin)}</td>
                <td className="expression">
                  {c.filter ? (
                    <>
                      <button type="button" onClick={() => onFilter(c.filter!)} title={`Filter: ${c.filter}`}>
                        Only
                      </button>
                      <button type="button" onClick={() => exclude(c)} title={`Filter: … and not (${c.filter})`}>
                        Exclude
                      </button>
                      <code>{c.filter}</code>
                    </>
                  ) : (
                    <span className="muted">no exact tcpdump expression</span>
                  )}
                </td>
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
