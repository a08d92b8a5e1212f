/**
 * The conversations table over all open captures: each capture's tallies (per-flow sums
 * kept once it is read), their first and last times placed, merged into one row per
 * conversation across captures.
 */
import { conversations, flowTotals, topConversations, type ConversationKind, type Tally } from '../analysis/conversations.ts';
import type { Entry } from './capture-set.ts';
import type { ConversationTable } from './contract.ts';
import type { Placement } from './placement.ts';

export function conversationTable(
  open: readonly Entry[],
  placement: Placement,
  kind: ConversationKind,
  by: 'packets' | 'bytes',
  limit: number,
): ConversationTable {
  const started = performance.now();
  const tallies: Tally[][] = [];
  let packets = 0;
  for (const entry of open) {
    const { capture } = entry;
    packets += capture.store.length;
    const totals = entry.finished ? (entry.flowTotals ??= flowTotals(capture)) : flowTotals(capture);
    const list = conversations(capture, totals, kind);
    for (const t of list) {
      const first = placement.shift(entry.id, { sec: t.firstSec, ns: t.firstNs });
      const last = placement.shift(entry.id, { sec: t.lastSec, ns: t.lastNs });
      [t.firstSec, t.firstNs, t.lastSec, t.lastNs] = [first.sec, first.ns, last.sec, last.ns];
    }
    tallies.push(list);
  }
  const { rows, count } = topConversations(kind, tallies, by, limit);
  return { kind, rows, count, packets, computeMs: performance.now() - started };
}
