/**
 * Classic libpcap files: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/
 *
 *   file header (24)        record header (16)            frame
 *   magic vMaj vMin ...     ts_sec ts_frac caplen origlen  caplen bytes
 *   snaplen linktype
 */
import { CaptureDamage, NotACapture, maxRecordBytes, type PacketSink, type RecordParser } from './packet-sink.ts';
import { packetBudgetExceeded } from './read-budget.ts';

const HEADER_BYTES = 24;
const RECORD_BYTES = 16;

export function isPcapMagic(magic: number): boolean {
  return magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
}

export class PcapParser implements RecordParser {
  readonly format = 'pcap';
  private littleEndian = true;
  private fracToNs = 1000;
  private fracPerSec = 1e6;
  private snaplenBytes = 0;
  private maxRecord = 262144;
  private headerDone = false;
  get started(): boolean {
    return this.headerDone;
  }
  private warnedCapOverSnap = false;
  private warnedCapOverOrig = false;
  private warnedBadFraction = false;
  packets = 0;
  recordOffsetBytes = 0;

  constructor(
    private readonly sink: PacketSink,
    private readonly maxPackets = Infinity,
  ) {}

  parse(bytes: Uint8Array, start: number, end: number, baseOffsetBytes: number): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = start;
    if (!this.headerDone) {
      if (end - pos < HEADER_BYTES) return pos;
      this.readHeader(view, pos);
      pos += HEADER_BYTES;
    }
    const le = this.littleEndian;
    const sink = this.sink;
    while (end - pos >= RECORD_BYTES) {
      const capLen = view.getUint32(pos + 8, le);
      if (capLen > this.maxRecord) {
        throw new CaptureDamage(baseOffsetBytes + pos, `record claims ${capLen} captured bytes, more than the ${this.maxRecord} any capture holds`);
      }
      if (end - pos < RECORD_BYTES + capLen) break;
      if (this.packets >= this.maxPackets) throw packetBudgetExceeded(this.maxPackets, baseOffsetBytes + pos);
      this.recordOffsetBytes = baseOffsetBytes + pos;
      const origLen = view.getUint32(pos + 12, le);
      let tsSec = view.getUint32(pos, le);
      let tsFrac = view.getUint32(pos + 4, le);
      if (tsFrac >= this.fracPerSec) {
        this.warnOnce('bad-fraction', `timestamp fraction ${tsFrac} is not below ${this.fracPerSec}: carried into the seconds`, baseOffsetBytes + pos);
        tsSec += Math.floor(tsFrac / this.fracPerSec);
        tsFrac %= this.fracPerSec;
      }
      if (capLen > origLen)
        this.warnOnce('caplen-over-len', `captured length ${capLen} exceeds the original length ${origLen}: packet kept`, baseOffsetBytes + pos);
      if (capLen > this.snaplenBytes)
        this.warnOnce('caplen-over-snaplen', `captured length ${capLen} exceeds the snapshot length ${this.snaplenBytes}: packet kept`, baseOffsetBytes + pos);
      sink.packet(bytes, pos + RECORD_BYTES, capLen, origLen, 0, tsSec, tsFrac * this.fracToNs, baseOffsetBytes + pos + RECORD_BYTES);
      this.packets++;
      pos += RECORD_BYTES + capLen;
    }
    return pos;
  }

  private readHeader(view: DataView, pos: number): void {
    const magicBE = view.getUint32(pos, false);
    if (!isPcapMagic(magicBE)) throw new NotACapture('not a pcap file');
    this.littleEndian = magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1;
    const nanos = magicBE === 0xa1b23c4d || magicBE === 0x4d3cb2a1;
    this.fracPerSec = nanos ? 1e9 : 1e6;
    this.fracToNs = nanos ? 1 : 1000;
    const le = this.littleEndian;
    const major = view.getUint16(pos + 4, le);
    const minor = view.getUint16(pos + 6, le);
    // 1.x is the archaic pre-1998 layout neither tcpdump nor tshark reads; 543.0 is what
    // DG/UX's tcpdump wrote for 2.4, and libpcap reads it.
    const dgux = major === 543 && minor === 0;
    if (major !== 2 && !dgux) throw new NotACapture(`unsupported pcap version ${major}.${minor}`);
    if (minor !== 4 && !dgux) this.sink.warn('pcap-version', `pcap version ${major}.${minor} (expected 2.4): read as 2.4`);
    this.snaplenBytes = view.getUint32(pos + 16, le);
    const linkField = view.getUint32(pos + 20, le);
    // Bits 16-25 are reserved and must be zero; bits 26-31 describe an FCS, which we ignore.
    if ((linkField & 0x03ff0000) !== 0) throw new NotACapture(`invalid link-type field 0x${linkField.toString(16)}`);
    const linkType = linkField & 0xffff;
    this.maxRecord = maxRecordBytes(linkType);
    this.sink.addInterface({ linkType, snaplenBytes: this.snaplenBytes, resolution: nanos ? 'ns' : 'us', pcapLittleEndian: le });
    this.headerDone = true;
  }

  private warnOnce(code: 'bad-fraction' | 'caplen-over-len' | 'caplen-over-snaplen', message: string, offsetBytes: number): void {
    const flag = code === 'bad-fraction' ? 'warnedBadFraction' : code === 'caplen-over-len' ? 'warnedCapOverOrig' : 'warnedCapOverSnap';
    if (this[flag]) return;
    this[flag] = true;
    this.sink.warn(code, `${message} (reported once)`, offsetBytes);
  }
}
