/**
 * Bursts of byte-identical frames: a TX path that duplicates one frame hundreds of
 * thousands of times. Candidates come from the columns (one sender, one flow, one length,
 * copies less than GAP_SEC apart, nothing else from that sender in between); then their
 * bytes decide: only copies identical to the first are counted.
 */
import type { ByteSource } from '../../capture/byte-source.ts';
import { ipv4Text, macText } from '../../decode/addresses.ts';
import { packetInfo } from '../../decode/info.ts';
import { dissect } from '../../decode/protocols/stack.ts';
import type { Capture } from '../../store/capture.ts';
import { hasMac, keyAt, macSrcHi, macSrcLo } from '../../store/flow-key.ts';
import { visitRowBytes } from '../../store/row-bytes.ts';
import { TupleIndex } from '../tuple-index.ts';
import { rateText } from './arp-findings.ts';
import { secondsBetween, type Finding } from './finding.ts';

const GAP_SEC = 0.01;
const MIN_COPIES = 1000;
const MIN_PER_SEC = 1000;
/** Copies compared before reading a whole candidate: a TCP bulk transfer differs at once. */
const SAMPLE = 8;

interface Candidate {
  flow: number;
  firstRow: number;
  lastRow: number;
  count: number;
}

export async function repeatedFrames(capture: Capture, source: ByteSource, cancelled: () => boolean = () => false): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const c of candidates(capture)) {
    const finding = await verify(capture, source, c, cancelled);
    if (cancelled()) return [];
    if (finding) out.push(finding);
  }
  return out;
}

/** Runs per sender (source MAC): same flow, same captured length, close together. */
function candidates(capture: Capture): Candidate[] {
  const { store, flows } = capture;
  const senders = new TupleIndex(3, 1024);
  const senderOf = new Int32Array(flows.count);
  const tuple = new Uint32Array(3);
  for (let id = 0; id < flows.count; id++) {
    const at = keyAt(id);
    const mac = hasMac(flows.keys, at);
    tuple[0] = mac ? macSrcHi(flows.keys, at) : 0;
    tuple[1] = mac ? macSrcLo(flows.keys, at) : 0;
    tuple[2] = mac ? 0 : id + 1;
    senderOf[id] = senders.id(tuple);
  }
  const n = senders.count;
  const runFlow = new Int32Array(n).fill(-1);
  const runLen = new Uint32Array(n);
  const runFirst = new Uint32Array(n);
  const runLast = new Uint32Array(n);
  const runCount = new Float64Array(n);
  const lastTime = new Float64Array(n);
  const out: Candidate[] = [];
  const close = (s: number) => {
    if (runCount[s] < MIN_COPIES) return;
    const seconds = store.relSeconds(runLast[s]) - store.relSeconds(runFirst[s]);
    if (seconds > 0 && runCount[s] / seconds < MIN_PER_SEC) return;
    out.push({ flow: runFlow[s], firstRow: runFirst[s], lastRow: runLast[s], count: runCount[s] });
  };
  for (let k = 0; k < store.length; k++) {
    const r = store.rowAt(k);
    const f = store.flow[r];
    const s = senderOf[f];
    const t = store.relSeconds(r);
    if (runFlow[s] === f && runLen[s] === store.capLen[r] && t - lastTime[s] <= GAP_SEC) {
      runCount[s]++;
      runLast[s] = r;
    } else {
      close(s);
      runFlow[s] = f;
      runLen[s] = store.capLen[r];
      runFirst[s] = r;
      runLast[s] = r;
      runCount[s] = 1;
    }
    lastTime[s] = t;
  }
  for (let s = 0; s < n; s++) close(s);
  return out;
}

async function verify(capture: Capture, source: ByteSource, c: Candidate, cancelled: () => boolean): Promise<Finding | null> {
  const { store } = capture;
  const linkType = capture.interfaces[store.iface[c.firstRow]].linkType;
  const first = await source.read(store.offset[c.firstRow], store.capLen[c.firstRow]);
  const same = (bytes: Uint8Array, at: number) => {
    for (let i = 0; i < first.length; i++) if (bytes[at + i] !== first[i]) return false;
    return true;
  };
  const inRun = (r: number) => r >= c.firstRow && r <= c.lastRow && store.flow[r] === c.flow;
  // A sample spread over the run first.
  const sampleRows: number[] = [];
  for (let r = c.firstRow + 1; r <= c.lastRow && sampleRows.length < SAMPLE; r++) if (inRun(r)) sampleRows.push(r);
  for (const r of sampleRows) {
    if (!same(await source.read(store.offset[r], store.capLen[r]), 0)) return null;
  }
  let copies = 0;
  let lastCopy = c.firstRow;
  const next = (after: number) => {
    for (let r = after + 1; r <= c.lastRow; r++) if (store.flow[r] === c.flow) return r;
    return -1;
  };
  const done = await visitRowBytes(
    capture,
    source,
    c.firstRow,
    inRun,
    next,
    (r, bytes, at) => {
      if (!same(bytes, at)) return;
      copies++;
      lastCopy = r;
    },
    cancelled,
  );
  if (!done || copies < MIN_COPIES) return null;
  const start = { sec: store.sec(c.firstRow), ns: store.tsNs[c.firstRow] };
  const end = { sec: store.sec(lastCopy), ns: store.tsNs[lastCopy] };
  const seconds = secondsBetween(start, end);
  const words = frameInWords(first, linkType);
  return {
    kind: 'repeated-frames',
    start,
    end,
    firstRow: c.firstRow,
    frames: copies,
    subject: words.sender,
    summary: `the same frame, ${words.text}, repeats ${copies.toLocaleString('en-US')} times in ${seconds.toFixed(2)} s (${rateText(seconds > 0 ? copies / seconds : copies)}), byte for byte, from ${words.sender}`,
    detail: {
      copies,
      seconds: Number(seconds.toFixed(6)),
      perSecond: seconds > 0 ? Math.round(copies / seconds) : copies,
      frame: words.text,
      bytes: first.length,
    },
  };
}

/** "TCP 172.20.18.40:50412 → 10.100.200.143:1434 [ACK] ... on VLAN 956" and the sending MAC. */
function frameInWords(b: Uint8Array, linkType: number): { text: string; sender: string } {
  const s = dissect(b, 0, b.length, linkType);
  const sender =
    s.link && s.link.srcAt >= 0
      ? macText(
          (b[s.link.srcAt] << 8) | b[s.link.srcAt + 1],
          ((b[s.link.srcAt + 2] << 24) | (b[s.link.srcAt + 3] << 16) | (b[s.link.srcAt + 4] << 8) | b[s.link.srcAt + 5]) >>> 0,
        )
      : 'an unknown sender';
  const vlan = s.link?.tags.length ? ` on VLAN ${s.link.tags.map((t) => t.vid).join('.')}` : '';
  const ends = s.ip4 ? `${ipv4Text(s.ip4.src)} → ${ipv4Text(s.ip4.dst)} ` : '';
  return { text: `${ends}${packetInfo(b, 0, b.length, linkType)}${vlan}`.trim(), sender };
}
