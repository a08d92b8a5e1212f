/** Formats are told apart by their first bytes, never by file name. */
import { isPcapMagic } from './pcap.ts';
import { SHB_TYPE } from './pcapng.ts';

export type SniffedFormat = 'pcap' | 'pcapng' | 'gzip' | 'unknown';

export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length < 4) return 'unknown';
  const magic = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  if (magic === SHB_TYPE) return 'pcapng';
  if (isPcapMagic(magic)) return 'pcap';
  return 'unknown';
}

export function describeUnknown(head: Uint8Array): string {
  const shown = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return head.length < 4 ? `file is too short to be a capture (${head.length} bytes)` : `not a pcap, pcapng or gzip-compressed capture (starts with ${shown})`;
}
