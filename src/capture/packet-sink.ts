/**
 * What a format reader reports. Calls carry primitives only: the hot path makes no
 * object per packet. `bytes[dataStart .. dataStart + capLen)` is the frame, valid only
 * during the call.
 */
export interface InterfaceInfo {
  linkType: number;
  snaplenBytes: number;
  name?: string;
  description?: string;
  /** 'us' | 'ns' for pcap; for pcapng the if_tsresol it declared, e.g. '10^-6', '2^-20'. */
  resolution: string;
  /** Classic pcap only: the file's byte order (its record headers can then be copied as they are). */
  pcapLittleEndian?: boolean;
}

export interface PacketSink {
  /** Interfaces are numbered 0, 1, 2... in the order they are added, across sections. */
  addInterface(info: InterfaceInfo): void;
  packet(
    bytes: Uint8Array,
    dataStart: number,
    capLenBytes: number,
    origLenBytes: number,
    iface: number,
    tsSec: number,
    tsNs: number,
    dataOffsetBytes: number,
  ): void;
  /** An opt_comment of the packet reported last. */
  packetComment(text: string): void;
  /** An opt_comment of a pcapng section header (an incident bundle keeps its view there). */
  sectionComment?(text: string): void;
  warn(code: string, message: string, offsetBytes?: number): void;
}

/** The file cannot be read from here on; what came before it stands. */
export class CaptureDamage extends Error {
  constructor(
    readonly offsetBytes: number,
    readonly reason: string,
  ) {
    super(`${reason} at byte offset ${offsetBytes}`);
  }
}

/** The file is not a capture we can read at all. */
export class NotACapture extends Error {}

/**
 * A push parser: it parses every whole record in bytes[start, end) and returns where the
 * first incomplete one begins, so the caller can carry it into the next chunk.
 */
export interface RecordParser {
  readonly format: 'pcap' | 'pcapng';
  /** True once the file header (pcap) or a section header (pcapng) has been read. */
  readonly started: boolean;
  /** Packets handed to the sink so far. */
  readonly packets: number;
  /** Where the record last offered to the sink starts (where a failure inside the sink stops reading). */
  readonly recordOffsetBytes: number;
  parse(bytes: Uint8Array, start: number, end: number, baseOffsetBytes: number): number;
}

/** libpcap's and Wireshark's bound on a record: larger is damage, not a packet. */
export function maxRecordBytes(linkType: number): number {
  switch (linkType) {
    case 231: // D-Bus
      return 128 * 1024 * 1024;
    case 249: // USBPcap
      return 1024 * 1024;
    case 279: // EBHSCR
      return 8 * 1024 * 1024;
    default:
      return 262144;
  }
}
