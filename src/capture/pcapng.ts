/**
 * pcapng: https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/
 *
 *   block:  type(4) totalLength(4) body... totalLength(4)     (lengths include all 12)
 *   SHB 0x0A0D0D0A  byte-order magic 0x1A2B3C4D sets the endianness of its section
 *   IDB 1  linktype(2) reserved(2) snaplen(4) options     one per interface, per section
 *   EPB 6  iface(4) tsHigh(4) tsLow(4) caplen(4) origlen(4) data options
 *   SPB 3  origlen(4) data                 (interface 0; caplen from the IDB snaplen)
 *   PB  2  iface(2) drops(2) tsHigh tsLow caplen origlen data options   (obsolete)
 * Every other block (ISB, NRB, DSB, custom, unknown) is skipped by its length.
 */
import { CaptureDamage, NotACapture, maxRecordBytes, type PacketSink, type RecordParser } from './packet-sink.ts';
import { TimestampUnits } from './pcapng-time.ts';
import { packetBudgetExceeded } from './read-budget.ts';

export const SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MAX_BLOCK_BYTES = 128 * 1024 * 1024 + 4096;
const OPT_COMMENT = 1;
/** The store numbers interfaces in 16 bits (PacketStore.iface), across sections. */
export const MAX_INTERFACES = 65536;

interface SectionInterface {
  globalId: number;
  linkType: number;
  snaplenBytes: number;
  maxRecord: number;
  time: TimestampUnits;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class PcapngParser implements RecordParser {
  readonly format = 'pcapng';
  private littleEndian = true;
  private inSection = false;
  get started(): boolean {
    return this.inSection;
  }
  private interfaces: SectionInterface[] = [];
  private nextGlobalId = 0;
  private warnedCapOverOrig = false;
  private warnedCapOverSnap = false;
  packets = 0;
  recordOffsetBytes = 0;

  constructor(
    private readonly sink: PacketSink,
    private readonly maxPackets = Infinity,
  ) {}

  parse(bytes: Uint8Array, start: number, end: number, baseOffsetBytes: number): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = start;
    while (end - pos >= 12) {
      const type = view.getUint32(pos, this.littleEndian);
      if (type === SHB_TYPE || !this.inSection) {
        if (view.getUint32(pos, false) !== SHB_TYPE) {
          throw new NotACapture('not a pcapng file');
        }
        const magic = view.getUint32(pos + 8, true);
        if (magic !== BYTE_ORDER_MAGIC && magic !== 0x4d3c2b1a) {
          throw this.damageOrRefusal(baseOffsetBytes + pos, 'section header has no byte-order magic');
        }
        this.littleEndian = magic === BYTE_ORDER_MAGIC;
      }
      const length = view.getUint32(pos + 4, this.littleEndian);
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK_BYTES) {
        throw this.damageOrRefusal(baseOffsetBytes + pos, `block of type 0x${hex(type)} has an impossible length ${length}`);
      }
      if (end - pos < length) break;
      if (view.getUint32(pos + length - 4, this.littleEndian) !== length) {
        throw this.damageOrRefusal(baseOffsetBytes + pos, `block total length in header and trailer don't match (type 0x${hex(type)})`);
      }
      this.block(bytes, view, type, pos, length, baseOffsetBytes);
      pos += length;
    }
    return pos;
  }

  private damageOrRefusal(offsetBytes: number, reason: string): Error {
    return this.inSection ? new CaptureDamage(offsetBytes, reason) : new NotACapture(reason);
  }

  private block(bytes: Uint8Array, view: DataView, type: number, pos: number, length: number, base: number): void {
    switch (type) {
      case SHB_TYPE:
        return this.sectionHeader(view, pos, length, base);
      case 1:
        return this.interfaceDescription(bytes, view, pos, length, base);
      case 6:
        return this.packetBlock(bytes, view, pos, length, base, view.getUint32(pos + 8, this.littleEndian), pos + 12, 28);
      case 2:
        return this.packetBlock(bytes, view, pos, length, base, view.getUint16(pos + 8, this.littleEndian), pos + 12, 28);
      case 3:
        return this.simplePacket(bytes, view, pos, length, base);
    }
  }

  private sectionHeader(view: DataView, pos: number, length: number, base: number): void {
    if (length < 28) throw this.damageOrRefusal(base + pos, `section header block too short (${length} bytes)`);
    const major = view.getUint16(pos + 12, this.littleEndian);
    const minor = view.getUint16(pos + 14, this.littleEndian);
    // Version 1.2 was written by some early tools; 1.1 and 0.x were never valid.
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      throw this.damageOrRefusal(base + pos, `unsupported pcapng version ${major}.${minor}`);
    }
    this.inSection = true;
    this.interfaces = [];
    if (length >= 32 && this.sink.sectionComment) {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      forEachOption(view, pos + 24, pos + length - 4, this.littleEndian, (code, at, len) => {
        if (code === OPT_COMMENT) this.sink.sectionComment!(text(bytes, at, len));
      });
    }
  }

  private interfaceDescription(bytes: Uint8Array, view: DataView, pos: number, length: number, base: number): void {
    if (length < 20) throw new CaptureDamage(base + pos, `interface description block too short (${length} bytes)`);
    const le = this.littleEndian;
    const linkType = view.getUint16(pos + 8, le);
    const snaplenBytes = view.getUint32(pos + 12, le);
    let name: string | undefined;
    let description: string | undefined;
    let tsresol = 6;
    let tsoffset = 0;
    forEachOption(view, pos + 16, pos + length - 4, le, (code, at, len) => {
      if (code === 2) name = text(bytes, at, len);
      else if (code === 3) description = text(bytes, at, len);
      else if (code === 9 && len >= 1) tsresol = bytes[at];
      else if (code === 14 && len >= 8) tsoffset = Number(view.getBigInt64(at, le));
    });
    if ((tsresol & 0x7f) > (tsresol & 0x80 ? 63 : 19)) {
      throw new CaptureDamage(base + pos, `interface time resolution ${tsresol} is out of range`);
    }
    const time = new TimestampUnits(tsresol, tsoffset);
    if (this.nextGlobalId === MAX_INTERFACES) {
      throw new CaptureDamage(
        base + pos,
        `more than ${MAX_INTERFACES.toLocaleString('en-US')} interfaces in one capture (interface description block ${MAX_INTERFACES + 1}): the store numbers interfaces in 16 bits`,
      );
    }
    const globalId = this.nextGlobalId++;
    this.interfaces.push({ globalId, linkType, snaplenBytes, maxRecord: maxRecordBytes(linkType), time });
    this.sink.addInterface({ linkType, snaplenBytes, name, description, resolution: time.label });
  }

  private packetBlock(bytes: Uint8Array, view: DataView, pos: number, length: number, base: number, ifaceId: number, fixed: number, fixedBytes: number): void {
    const le = this.littleEndian;
    if (length < fixedBytes + 4) throw new CaptureDamage(base + pos, `packet block too short (${length} bytes)`);
    const iface = this.interfaces[ifaceId];
    if (!iface) throw new CaptureDamage(base + pos, `packet on interface ${ifaceId}, which no interface block described`);
    const capLen = view.getUint32(fixed + 8, le);
    const origLen = view.getUint32(fixed + 12, le);
    const dataStart = pos + fixedBytes;
    const room = length - fixedBytes - 4;
    if (capLen > room || capLen > iface.maxRecord) {
      throw new CaptureDamage(base + pos, `packet block claims ${capLen} captured bytes but holds at most ${room}`);
    }
    this.checkLengths(capLen, origLen, iface, base + pos);
    iface.time.set(view.getUint32(fixed, le), view.getUint32(fixed + 4, le));
    this.admit(base + pos);
    this.sink.packet(bytes, dataStart, capLen, origLen, iface.globalId, iface.time.tsSec, iface.time.tsNs, base + dataStart);
    this.packets++;
    const optionsStart = dataStart + ((capLen + 3) & ~3);
    if (optionsStart + 4 <= pos + length - 4) {
      forEachOption(view, optionsStart, pos + length - 4, le, (code, at, len) => {
        if (code === OPT_COMMENT) this.sink.packetComment(text(bytes, at, len));
      });
    }
  }

  private simplePacket(bytes: Uint8Array, view: DataView, pos: number, length: number, base: number): void {
    const iface = this.interfaces[0];
    if (!iface) throw new CaptureDamage(base + pos, 'simple packet block before any interface block');
    if (length < 16) throw new CaptureDamage(base + pos, `simple packet block too short (${length} bytes)`);
    const origLen = view.getUint32(pos + 8, this.littleEndian);
    const room = length - 16;
    const snap = iface.snaplenBytes === 0 ? origLen : Math.min(origLen, iface.snaplenBytes);
    const capLen = Math.min(snap, room);
    // SPBs carry no time: as Wireshark does, they get time zero.
    this.admit(base + pos);
    this.sink.packet(bytes, pos + 12, capLen, origLen, iface.globalId, 0, 0, base + pos + 12);
    this.packets++;
  }

  /** Checks the packet budget before the block at offsetBytes goes to the sink. */
  private admit(offsetBytes: number): void {
    if (this.packets >= this.maxPackets) throw packetBudgetExceeded(this.maxPackets, offsetBytes);
    this.recordOffsetBytes = offsetBytes;
  }

  private checkLengths(capLen: number, origLen: number, iface: SectionInterface, offsetBytes: number): void {
    if (capLen > origLen && !this.warnedCapOverOrig) {
      this.warnedCapOverOrig = true;
      this.sink.warn('caplen-over-len', `captured length ${capLen} exceeds the original length ${origLen}: packet kept (reported once)`, offsetBytes);
    }
    if (iface.snaplenBytes !== 0 && capLen > iface.snaplenBytes && !this.warnedCapOverSnap) {
      this.warnedCapOverSnap = true;
      this.sink.warn(
        'caplen-over-snaplen',
        `captured length ${capLen} exceeds the interface snapshot length ${iface.snaplenBytes}: packet kept (reported once)`,
        offsetBytes,
      );
    }
  }
}

/** Walks TLV options; stops at opt_endofopt or at the first option that overruns. */
function forEachOption(view: DataView, start: number, end: number, le: boolean, visit: (code: number, at: number, len: number) => void): void {
  let pos = start;
  while (pos + 4 <= end) {
    const code = view.getUint16(pos, le);
    const len = view.getUint16(pos + 2, le);
    if (code === 0 || pos + 4 + len > end) return;
    visit(code, pos + 4, len);
    pos += 4 + ((len + 3) & ~3);
  }
}

/** Option strings are UTF-8, sometimes NUL-terminated with junk after (seen in real files). */
function text(bytes: Uint8Array, at: number, len: number): string {
  let stop = at;
  while (stop < at + len && bytes[stop] !== 0) stop++;
  return utf8.decode(bytes.subarray(at, stop));
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
