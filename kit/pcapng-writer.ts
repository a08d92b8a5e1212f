// pcapng files (draft-ietf-opsawg-pcapng): sections of blocks, every block type a reader
// meets, with the options the readers use (interface names, if_tsresol, if_tsoffset,
// comments). Lengths may be forged, so readers can be tested against bad input.
//
//   block: | type | total length | body, padded to 4 | total length |
import { concat } from './bytes.ts';
import { ByteWriter, type Endian } from './byte-writer.ts';

export type Block =
  | {
      type: 'idb';
      linkType: number;
      snaplen: number;
      name?: string;
      description?: string;
      /** Raw if_tsresol byte: 6 = µs, 9 = ns, 0x80|20 = 2^-20 s. */
      tsresol?: number;
      /** if_tsoffset, seconds. */
      tsoffset?: bigint;
    }
  | { type: 'epb'; iface: number; ts: bigint; data: Uint8Array; origLen?: number; comment?: string | string[] }
  | { type: 'spb'; data: Uint8Array; origLen?: number }
  | { type: 'pb'; iface: number; ts: bigint; data: Uint8Array; origLen?: number }
  | { type: 'isb'; iface: number }
  | { type: 'nrb' }
  | { type: 'dsb' }
  | { type: 'custom' }
  | { type: 'unknown'; code: number };

export interface Section {
  endian: Endian;
  versionMajor?: number;
  versionMinor?: number;
  comment?: string;
  blocks: Block[];
}

const utf8 = new TextEncoder();

type Option = [code: number, value: Uint8Array];

function writeOptions(out: ByteWriter, options: Option[]): void {
  if (!options.length) return;
  for (const [code, value] of options) out.u16(code).u16(value.length).bytes(value).pad4();
  out.u16(0).u16(0); // opt_endofopt
}

function block(le: boolean, type: number, body: (out: ByteWriter) => void): Uint8Array {
  const out = new ByteWriter(le).u32(type).u32(0);
  body(out);
  out.pad4();
  const total = out.length + 4;
  out.u32(total);
  const bytes = out.result();
  new DataView(bytes.buffer).setUint32(4, total, le);
  return bytes;
}

function int64Bytes(v: bigint, le: boolean): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, le);
  return b;
}

function encodeBlock(b: Block, le: boolean): Uint8Array {
  switch (b.type) {
    case 'idb':
      return block(le, 0x00000001, (out) => {
        out.u16(b.linkType).u16(0).u32(b.snaplen);
        const opts: Option[] = [];
        if (b.name !== undefined) opts.push([2, utf8.encode(b.name)]);
        if (b.description !== undefined) opts.push([3, utf8.encode(b.description)]);
        if (b.tsresol !== undefined) opts.push([9, Uint8Array.of(b.tsresol)]);
        if (b.tsoffset !== undefined) opts.push([14, int64Bytes(b.tsoffset, le)]);
        writeOptions(out, opts);
      });
    case 'epb':
      return block(le, 0x00000006, (out) => {
        out
          .u32(b.iface)
          .ts64(b.ts)
          .u32(b.data.length)
          .u32(b.origLen ?? b.data.length)
          .bytes(b.data)
          .pad4();
        const comments = b.comment === undefined ? [] : [b.comment].flat();
        writeOptions(
          out,
          comments.map((c): Option => [1, utf8.encode(c)]),
        );
      });
    case 'spb':
      return block(le, 0x00000003, (out) => out.u32(b.origLen ?? b.data.length).bytes(b.data));
    case 'pb':
      return block(le, 0x00000002, (out) => {
        out
          .u16(b.iface)
          .u16(0)
          .ts64(b.ts)
          .u32(b.data.length)
          .u32(b.origLen ?? b.data.length)
          .bytes(b.data);
      });
    case 'isb':
      // isb_ifrecv, so the block carries at least one statistic.
      return block(le, 0x00000005, (out) => {
        out.u32(b.iface).ts64(0n);
        writeOptions(out, [[4, int64Bytes(0n, le)]]);
      });
    case 'nrb':
      return block(le, 0x00000004, (out) => {
        const record = new Uint8Array([192, 0, 2, 1, ...utf8.encode('example.test'), 0]);
        out.u16(1).u16(record.length).bytes(record).pad4();
        out.u16(0).u16(0); // nrb_record_end
      });
    case 'dsb':
      return block(le, 0x0000000a, (out) => {
        const secrets = utf8.encode('# no secrets\n');
        out.u32(0x544c534b).u32(secrets.length).bytes(secrets); // TLS key log
      });
    case 'custom':
      // Private Enterprise Number 32473 is reserved for documentation (RFC 5612).
      return block(le, 0x00000bad, (out) => out.u32(32473).bytes(utf8.encode('custom block')));
    case 'unknown':
      return block(le, b.code, (out) => out.bytes(utf8.encode('opaque')));
  }
}

export function writePcapng(o: { sections: Section[] }): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const s of o.sections) {
    const le = s.endian === 'le';
    const blocks = s.blocks.map((b) => encodeBlock(b, le));
    const sectionLength = blocks.reduce((n, b) => n + b.length, 0);
    parts.push(
      block(le, 0x0a0d0d0a, (out) => {
        out
          .u32(0x1a2b3c4d)
          .u16(s.versionMajor ?? 1)
          .u16(s.versionMinor ?? 0)
          .i64(BigInt(sectionLength));
        writeOptions(out, s.comment === undefined ? [] : [[1, utf8.encode(s.comment)]]);
      }),
      ...blocks,
    );
  }
  return concat(...parts);
}
