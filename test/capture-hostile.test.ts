/**
 * A standing corpus of hostile captures, read both ways a user reads them: in the tab's
 * workspace and by the CLI as a process. Each gives its words (refused, or read up to a byte
 * offset and stopped, or read with a warning), in bounded time, never a throw or a stack
 * trace; where capinfos reads the file, the packet count is its count.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Workspace } from '../src/session/workspace.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { writePcapng } from '../kit/pcapng-writer.ts';
import { concat, ethernet, ipv4, udp } from '../kit/frames.ts';
import { capinfosCounts } from './support/oracle.ts';
import { runCli } from './support/run-cli.ts';

const work = mkdtempSync(path.join(tmpdir(), 'pt-capture-hostile-'));
const FRAME = ethernet({
  dst: '02:00:00:00:00:02',
  src: '02:00:00:00:00:01',
  etherType: 0x0800,
  payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, payload: udp({ sport: 1, dport: 2, payload: new Uint8Array(18) }) }),
});

function seededBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const pcapHeader = (snaplen = 65535) => writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen, records: [] });
const onePacket = (snaplen: number) =>
  writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen, records: [{ tsSec: 1_600_000_000, tsFrac: 0, data: FRAME }] });

/** 10 M pcapng blocks of an unknown type, 12 bytes each (nothing but their lengths), then one packet. */
function tenMillionEmptyBlocks(): Uint8Array {
  const head = writePcapng({ sections: [{ endian: 'le', blocks: [{ type: 'idb', linkType: 1, snaplen: 65535 }] }] });
  const tail = writePcapng({
    sections: [
      {
        endian: 'le',
        blocks: [
          { type: 'idb', linkType: 1, snaplen: 65535 },
          { type: 'epb', iface: 0, ts: 1_600_000_000_000_000n, data: FRAME },
        ],
      },
    ],
  });
  // The tail's section header and interface are left out: only its packet block is appended.
  const epb = tail.subarray(head.length);
  const blocks = new Uint8Array(10_000_000 * 12);
  const view = new DataView(blocks.buffer);
  for (let at = 0; at < blocks.length; at += 12) {
    view.setUint32(at, 0x0badbeef, true);
    view.setUint32(at + 4, 12, true);
    view.setUint32(at + 8, 12, true);
  }
  return concat(head, blocks, epb);
}

interface Case {
  name: string;
  bytes: () => Uint8Array;
  /** Refused outright: the words. */
  refused?: RegExp;
  /** Read up to here, then stopped: the words and the byte offset. */
  stopped?: { words: RegExp; offsetBytes: number };
  /** Read whole, with this warning. */
  warning?: RegExp;
  packets: number;
  /** capinfos reads it: its count must be ours. */
  capinfos?: boolean;
  withinMs: number;
}

const CASES: Case[] = [
  { name: 'zero bytes', bytes: () => new Uint8Array(0), refused: /too short to be a capture \(0 bytes\)/, packets: 0, withinMs: 200 },
  { name: '4 KB of zeros', bytes: () => new Uint8Array(4096), refused: /not a pcap, pcapng or gzip-compressed capture/, packets: 0, withinMs: 200 },
  {
    name: 'random bytes behind a pcap header',
    bytes: () => concat(pcapHeader(), seededBytes(100_000, 1)),
    stopped: { words: /record claims \d+ captured bytes/, offsetBytes: 24 },
    packets: 0,
    withinMs: 300,
  },
  {
    name: 'random bytes behind a pcapng section header',
    bytes: () => concat(writePcapng({ sections: [{ endian: 'le', blocks: [] }] }), seededBytes(100_000, 2)),
    stopped: { words: /impossible length/, offsetBytes: 28 },
    packets: 0,
    withinMs: 300,
  },
  { name: 'snaplen 0', bytes: () => onePacket(0), warning: /exceeds the snapshot length 0/, packets: 1, capinfos: true, withinMs: 200 },
  { name: 'snaplen 2^32-1', bytes: () => onePacket(0xffffffff), packets: 1, capinfos: true, withinMs: 200 },
  {
    name: 'a record claiming 2^32-1 captured bytes',
    bytes: () => {
      const b = onePacket(65535);
      new DataView(b.buffer).setUint32(24 + 8, 0xffffffff, true);
      return b;
    },
    stopped: { words: /record claims 4294967295 captured bytes/, offsetBytes: 24 },
    packets: 0,
    withinMs: 200,
  },
  { name: '10 M empty blocks, then a packet', bytes: tenMillionEmptyBlocks, packets: 1, capinfos: true, withinMs: 15_000 },
];

for (const c of CASES) {
  test(`hostile capture: ${c.name}`, async () => {
    const bytes = c.bytes();
    const file = path.join(work, `${c.name.replace(/\W+/g, '-')}.cap`);
    writeFileSync(file, bytes);

    const started = performance.now();
    const [opened] = await new Workspace().open([new File([bytes as BlobPart], path.basename(file))], () => {});
    const ms = performance.now() - started;
    assert.ok(ms < c.withinMs, `${Math.round(ms)} ms in the workspace`);
    if (c.refused) assert.match(opened.error ?? '', c.refused);
    else assert.equal(opened.error, undefined);
    assert.equal(opened.packets, c.packets);
    if (c.stopped) {
      assert.match(opened.damage?.reason ?? '', c.stopped.words);
      assert.equal(opened.damage?.offsetBytes, c.stopped.offsetBytes);
    } else assert.equal(opened.damage, undefined);
    if (c.warning)
      assert.ok(
        opened.warnings.some((w) => c.warning!.test(w)),
        opened.warnings.join('; '),
      );

    const cli = await runCli(['stats', '--json', file]);
    assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace');
    if (c.refused) {
      assert.equal(cli.status, 2);
      assert.match(cli.stderr, c.refused);
      assert.equal(cli.stderr.trim().split('\n').length, 1, 'one line');
    } else {
      assert.equal(cli.status, 0, cli.stderr);
      assert.equal(JSON.parse(cli.stdout).packets, c.packets);
    }
    if (c.capinfos) assert.equal((await capinfosCounts([file])).get(file), c.packets);
  });
}
