/**
 * Views for the hostile corpus and the fuzz test: valid views, and links and bundle comments
 * written by node:zlib (an encoder that is not ours), so a bug in our writer cannot hide one
 * in our reader.
 */
import { constants, deflateRawSync } from 'node:zlib';
import type { SharedView } from '../../src/share/validate-view.ts';

export const FP = ['1048576-1000-0123456789abcdef01234567', '2097152-2000-fedcba9876543210fedcba98'];

export function validView(): SharedView {
  return {
    v: 1,
    captures: [
      { name: 'client.pcapng', fingerprint: FP[0], offsetSec: 0 },
      { name: 'server.pcap', fingerprint: FP[1], offsetSec: -0.25 },
    ],
    window: { from: 1_700_000_000, to: 1_700_000_060.5 },
    filter: 'tcp port 443 and not host 10.0.0.1',
    marks: [
      { c: 0, frame: 1, note: 'SYN' },
      { c: 1, frame: 42, note: 'retransmission here\nsee ticket' },
      { c: 0, frame: 7, note: '' },
    ],
    ranges: [{ from: 1_700_000_010, to: 1_700_000_020, label: 'stall', note: 'no ACKs', color: '#cf222e' }],
    selected: { c: 1, frame: 42 },
  };
}

export function linkOfBytes(bytes: Uint8Array): string {
  return `#view=${Buffer.from(deflateRawSync(bytes)).toString('base64url')}`;
}

export function linkOf(value: unknown): string {
  return linkOfBytes(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
}

/**
 * Raw deflate of `mib` MiB of zeros, built from one self-contained block (a full flush ends
 * it on a byte boundary with no references behind it) repeated: 1 GiB in about 1 MB, in
 * milliseconds.
 */
export function zeroBomb(mib: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
  const final = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array<Buffer>(mib).fill(block), final]);
}

export function linkOfDeflated(deflated: Uint8Array): string {
  return `#view=${Buffer.from(deflated).toString('base64url')}`;
}
