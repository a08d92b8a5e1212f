/**
 * One opened capture: the PacketSink the format readers feed, which decodes each frame
 * into the store's columns and the flow dictionary.
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { InterfaceInfo, PacketSink } from '../capture/packet-sink.ts';
import { readCapture, type ReadOptions, type ReadResult } from '../capture/read-capture.ts';
import { decodeFrame } from '../decode/frame.ts';
import { FrameFields } from '../decode/frame-fields.ts';
import { isDecodedLinkType, linkTypeName } from '../decode/link-types.ts';
import { buildClassIndex, type ClassIndex } from './class-index.ts';
import { FlowTable } from './flow-table.ts';
import { Ipv6Dictionary } from './ipv6-dictionary.ts';
import { FLAG_COMMENT, FLAG_TCP_SHIFT, PacketStore } from './packet-store.ts';
import { TcpAnalysis } from './tcp-analysis.ts';

export interface CaptureWarning {
  code: string;
  message: string;
  offsetBytes?: number;
}

export class Capture implements PacketSink {
  readonly interfaces: InterfaceInfo[] = [];
  readonly store = new PacketStore();
  readonly flows = new FlowTable();
  readonly ipv6 = new Ipv6Dictionary();
  readonly tcp = new TcpAnalysis(this.flows);
  readonly warnings: CaptureWarning[] = [];
  /** opt_comment texts by row. */
  readonly comments = new Map<number, string[]>();
  /** Section header comments (pcapng). */
  readonly sectionComments: string[] = [];
  /** Packets per protocol class, counted as they arrive (the viewer asks while reading). */
  readonly classCounts = new Float64Array(32);
  /** Time-order positions by protocol class, for the timeline's lanes (built by finish). */
  classIndex: ClassIndex | null = null;
  private readonly fields = new FrameFields();
  private linkTypes: number[] = [];
  private readonly warnedLinkTypes = new Set<number>();

  /**
   * `forViewer` false skips what only the viewer uses (TCP analysis for the Info column,
   * the class index for the timeline's lanes): the CLI's `stats` needs neither.
   */
  constructor(
    readonly name: string,
    private readonly forViewer = true,
  ) {}

  addInterface(info: InterfaceInfo): void {
    this.interfaces.push(info);
    this.linkTypes.push(info.linkType);
    if (!isDecodedLinkType(info.linkType) && !this.warnedLinkTypes.has(info.linkType)) {
      this.warnedLinkTypes.add(info.linkType);
      this.warn('opaque-link-type', `link type ${linkTypeName(info.linkType)} (${info.linkType}) is not decoded: its frames are kept as opaque frames`);
    }
  }

  packet(bytes: Uint8Array, dataStart: number, capLen: number, origLen: number, iface: number, tsSec: number, tsNs: number, dataOffsetBytes: number): void {
    const f = this.fields;
    decodeFrame(bytes, dataStart, capLen, this.linkTypes[iface], f);
    const ipSrc = f.ipVersion === 6 ? this.ipv6.intern(bytes, f.ip6SrcAt) : f.ip4Src;
    const ipDst = f.ipVersion === 6 ? this.ipv6.intern(bytes, f.ip6DstAt) : f.ip4Dst;
    const flow = this.flows.intern(f, ipSrc, ipDst);
    this.classCounts[f.protocolClass]++;
    const analysis = f.tcpHeader && this.forViewer ? this.tcp.observe(flow, f, this.store.length) : 0;
    this.store.append(tsSec, tsNs, dataOffsetBytes, capLen, origLen, flow, iface, f.tcpFlags, f.malformed | (analysis << FLAG_TCP_SHIFT));
  }

  packetComment(text: string): void {
    const row = this.store.length - 1;
    if (row < 0) return;
    this.store.flags[row] |= FLAG_COMMENT;
    const list = this.comments.get(row);
    if (list) list.push(text);
    else this.comments.set(row, [text]);
  }

  sectionComment(text: string): void {
    this.sectionComments.push(text);
  }

  warn(code: string, message: string, offsetBytes?: number): void {
    this.warnings.push(offsetBytes === undefined ? { code, message } : { code, message, offsetBytes });
  }

  /** Bytes of every buffer the capture keeps resident. */
  get storeBytes(): number {
    const index = this.classIndex ? this.classIndex.positions.byteLength + this.classIndex.starts.byteLength : 0;
    return this.store.bytes + this.flows.bytes + this.ipv6.bytes + this.tcp.bytes + index;
  }

  get linkTypeNames(): string[] {
    return [...new Set(this.interfaces.map((i) => linkTypeName(i.linkType)))];
  }

  finish(): void {
    this.store.finish();
    this.tcp.freeze(this.flows.count);
    this.flows.freeze();
    this.ipv6.freeze();
    if (this.forViewer) this.classIndex = buildClassIndex(this);
  }
}

export interface IngestResult {
  capture: Capture;
  read: ReadResult;
  ingestMs: number;
}

/**
 * Reads a whole source into a new Capture, or into `into` (which a viewer shows while it
 * fills). Damage and cancellation keep what was read.
 */
export async function ingest(source: ByteSource, options: ReadOptions & { forViewer?: boolean; into?: Capture } = {}): Promise<IngestResult> {
  const started = performance.now();
  const capture = options.into ?? new Capture(source.name, options.forViewer ?? true);
  const read = await readCapture(source, capture, {
    ...options,
    onProgress(bytesRead) {
      capture.store.planCapacity(bytesRead, source.sizeBytes);
      options.onProgress?.(bytesRead);
    },
  });
  capture.finish();
  return { capture, read, ingestMs: performance.now() - started };
}
