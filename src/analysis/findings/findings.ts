/**
 * The incident summary of one capture: every finding, ordered by start. Runs in the worker
 * after ingest; re-reads only the control frames and the candidate repeated frames.
 */
import type { ByteSource } from '../../capture/byte-source.ts';
import type { Capture } from '../../store/capture.ts';
import { arpFindings } from './arp-findings.ts';
import { controlFrames, type ControlFrames } from './control-frames.ts';
import { byStart, type Finding } from './finding.ts';
import { lacpFindings } from './lacp-findings.ts';
import { redundancyFindings } from './redundancy-findings.ts';
import { repeatedFrames } from './repeated-frames.ts';
import { stillReceiving } from './still-receiving.ts';

export interface Analysis {
  findings: Finding[];
  control: ControlFrames;
}

export async function findings(capture: Capture, source: ByteSource, cancelled: () => boolean = () => false): Promise<Finding[]> {
  return (await analyse(capture, source, cancelled)).findings;
}

/** The findings and the decoded control frames they came from (the overlays draw those). */
export async function analyse(capture: Capture, source: ByteSource, cancelled: () => boolean = () => false): Promise<Analysis> {
  const { store } = capture;
  if (store.length === 0) return { findings: [], control: { arp: [], lacp: [], redundancy: [] } };
  const lastRow = store.rowAt(store.length - 1);
  const captureEnd = { sec: store.sec(lastRow), ns: store.tsNs[lastRow] };
  const control = await controlFrames(capture, source, cancelled);
  const arp = arpFindings(control.arp);
  const all = [
    ...(await repeatedFrames(capture, source, cancelled)),
    ...arp,
    ...lacpFindings(control.lacp, captureEnd),
    ...redundancyFindings(control.redundancy, captureEnd),
    ...(await stillReceiving(
      capture,
      source,
      arp.filter((f) => f.kind === 'arp-unanswered'),
    )),
  ];
  return { findings: cancelled() ? [] : all.sort(byStart), control };
}
