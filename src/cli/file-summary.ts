/**
 * One file's `stats` figures. (Reading the two halves of a large pcap on two threads was
 * tried and measured: on this 2-core machine each thread then ran at half speed, 5.9 s of
 * CPU against 3.0 s on one thread, so the command stays on one.)
 */
import type { ReadBudgets } from '../capture/read-budget.ts';
import { captureSummary, type CaptureSummary } from '../store/summary.ts';
import { readFigures } from './open-capture.ts';

export async function fileSummary(path: string, budgets: ReadBudgets = {}): Promise<CaptureSummary> {
  const { capture, format, ingestMs } = await readFigures(path, budgets);
  return captureSummary(capture, format, ingestMs);
}
