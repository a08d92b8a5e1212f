/**
 * Opening one capture, as the tab and the CLI both do it: ingest, and for gzip input a
 * copy of the decompressed bytes kept where they can be read again, since the store's
 * offsets count decompressed bytes: details, hex, filters, findings and exports read the
 * copy, never the compressed file. The tab keeps the copy in a Blob (decompressed-copy.ts),
 * the CLI in an unlinked temporary file (src/cli/open-capture.ts).
 */
import type { ByteSource } from '../capture/byte-source.ts';
import type { ReadOptions, ReadResult } from '../capture/read-capture.ts';
import { ingest, type Capture } from '../store/capture.ts';

/** Where a gzip capture's decompressed bytes are kept. */
export interface DecompressedKeeper {
  /** Takes each decompressed chunk (the reader never reuses one); reading waits for a returned promise. */
  add(chunk: Uint8Array): unknown;
  /** The bytes kept, as a source (asked once reading has ended). */
  source(): ByteSource | Promise<ByteSource>;
}

export interface CaptureRead {
  read: ReadResult;
  /** pcap, pcapng, pcap.gz or pcapng.gz. */
  format: string;
  ingestMs: number;
  /** What the capture's offsets refer to: the file itself, or the decompressed copy. */
  source: ByteSource;
}

/** Reads `file` into `capture`; without a keeper, gzip input keeps no copy (figures only). */
export async function readCaptureFile(capture: Capture, file: ByteSource, options: ReadOptions, keeper?: DecompressedKeeper): Promise<CaptureRead> {
  const { read, ingestMs } = await ingest(file, { ...options, into: capture, ...(keeper ? { onDecompressed: (chunk: Uint8Array) => keeper.add(chunk) } : {}) });
  return {
    read,
    ingestMs,
    format: read.compressed ? `${read.format}.gz` : read.format,
    source: read.compressed && keeper ? await keeper.source() : file,
  };
}
