/**
 * The flow key's one layout: the writer and the accessors agree on seeded random fields, the
 * key of a read frame says what the frame was built with (the crafting parameters are the
 * oracle, not our decoder), and the binary searches agree with a linear scan.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesSource } from '../src/capture/byte-source.ts';
import { FrameFields, NO_VLAN } from '../src/decode/frame-fields.ts';
import { ProtocolClass } from '../src/decode/protocol-class.ts';
import { ingest } from '../src/store/capture.ts';
import * as key from '../src/store/flow-key.ts';
import { lowerBound, partitionPoint, upperBound } from '../src/store/search.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { SeededRandom } from '../kit/random.ts';
import { arp, ethernet, icmp, icmpv6, ipv4, ipv6, ipv6Addr, tcp, udp, type Vlan } from '../kit/frames.ts';

/** Seeded, so a failure names values that can be replayed. */
function prng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.float();
}

const SEED = 0x5eed11;

test('every field written is read back by its accessor, and only its 9 words are written', () => {
  const random = prng(SEED);
  const bits = (n: number) => Math.floor(random() * 2 ** n);
  const keys = new Uint32Array(key.FLOW_WORDS * 40);
  for (let i = 0; i < 5000; i++) {
    const f = new FrameFields();
    f.macSrcHi = bits(16);
    f.macSrcLo = bits(32);
    f.macDstHi = bits(16);
    f.macDstLo = bits(32);
    f.vlanOuter = bits(16);
    f.vlanInner = bits(16);
    f.etherType = bits(16);
    f.ipProto = bits(8);
    f.protocolClass = bits(8);
    f.portA = bits(16);
    f.portB = bits(16);
    f.ipVersion = bits(4);
    f.vlanCount = bits(4);
    [f.hasMac, f.snap, f.ip6ExtHeaders, f.arpFixedLayout] = [bits(1) === 1, bits(1) === 1, bits(1) === 1, bits(1) === 1];
    const [ipSrc, ipDst] = [bits(32), bits(32)];
    for (let w = 0; w < keys.length; w++) keys[w] = bits(32);
    const before = keys.slice();
    const at = key.keyAt(1 + bits(5));
    key.writeFlowKey(keys, at, f, ipSrc, ipDst);
    const what = `case ${i} at ${at}`;
    for (let w = 0; w < keys.length; w++) if (w < at || w >= at + key.FLOW_WORDS) assert.equal(keys[w], before[w], `${what}: word ${w} outside the key`);
    assert.deepEqual(
      {
        macSrcHi: key.macSrcHi(keys, at),
        macSrcLo: key.macSrcLo(keys, at),
        macDstHi: key.macDstHi(keys, at),
        macDstLo: key.macDstLo(keys, at),
        macSrc: key.macSrc(keys, at),
        vlanOuter: key.vlanOuter(keys, at),
        vlanInner: key.vlanInner(keys, at),
        vlanIds: key.vlanIds(keys, at),
        etherType: key.etherType(keys, at),
        ipProto: key.ipProto(keys, at),
        flowClass: key.flowClass(keys, at),
        srcPort: key.srcPort(keys, at),
        dstPort: key.dstPort(keys, at),
        portPair: key.portPair(keys, at),
        ipVersion: key.ipVersion(keys, at),
        vlanCount: key.vlanCount(keys, at),
        ipSrc: key.ipSrc(keys, at),
        ipDst: key.ipDst(keys, at),
        hasMac: key.hasMac(keys, at),
        snap: key.snap(keys, at),
        ip6ExtHeaders: key.ip6ExtHeaders(keys, at),
        arpFixedLayout: key.arpFixedLayout(keys, at),
      },
      {
        macSrcHi: f.macSrcHi,
        macSrcLo: f.macSrcLo,
        macDstHi: f.macDstHi,
        macDstLo: f.macDstLo,
        macSrc: f.macSrcHi * 2 ** 32 + f.macSrcLo,
        vlanOuter: f.vlanOuter,
        vlanInner: f.vlanInner,
        vlanIds: f.vlanOuter + f.vlanInner * 2 ** 16,
        etherType: f.etherType,
        ipProto: f.ipProto,
        flowClass: f.protocolClass,
        srcPort: f.portA,
        dstPort: f.portB,
        portPair: f.portA + f.portB * 2 ** 16,
        ipVersion: f.ipVersion,
        vlanCount: f.vlanCount,
        ipSrc,
        ipDst,
        hasMac: f.hasMac,
        snap: f.snap,
        ip6ExtHeaders: f.ip6ExtHeaders,
        arpFixedLayout: f.arpFixedLayout,
      },
      what,
    );
  }
});

/** What a crafted frame was built with: the values its flow key must hold. */
interface Crafted {
  bytes: Uint8Array;
  srcMac: number;
  dstMac: number;
  vlans: number[];
  etherType: number;
  ipVersion: number;
  src: string;
  dst: string;
  proto: number;
  srcPort: number;
  dstPort: number;
  ip6Ext: boolean;
  cls?: ProtocolClass;
}

function macString(value: number): string {
  return Array.from({ length: 6 }, (_, i) => Math.floor(value / 256 ** (5 - i)) % 256)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':');
}

function craft(random: () => number): Crafted {
  const int = (n: number) => Math.floor(random() * n);
  const srcMac = int(2 ** 48);
  const dstMac = int(2 ** 48);
  const vlans = Array.from({ length: int(3) }, () => 1 + int(4094));
  const tpids: Vlan['tpid'][] = [0x8100, 0x88a8, 0x9100];
  const tags: Vlan[] = vlans.map((id) => ({ tpid: tpids[int(3)], id, pcp: int(8) }));
  const v4 = () => Array.from({ length: 4 }, () => int(256)).join('.');
  const v6 = () => Array.from({ length: 8 }, () => int(0x10000).toString(16)).join(':');
  const [srcPort, dstPort] = [1 + int(65535), 1 + int(65535)];
  const base = { srcMac, dstMac, vlans, srcPort, dstPort, ip6Ext: false };
  const frame = (etherType: number, payload: Uint8Array) => ethernet({ src: macString(srcMac), dst: macString(dstMac), vlans: tags, etherType, payload });
  const transport = (proto: number) =>
    proto === 6
      ? tcp({ sport: srcPort, dport: dstPort, seq: int(2 ** 32), ack: 0, flags: 'S', window: 1024 })
      : udp({ sport: srcPort, dport: dstPort, payload: new Uint8Array(int(20)) });
  switch (int(5)) {
    case 0: {
      const [src, dst, proto] = [v4(), v4(), int(2) ? 6 : 17];
      return { ...base, bytes: frame(0x0800, ipv4({ src, dst, proto, payload: transport(proto) })), etherType: 0x0800, ipVersion: 4, src, dst, proto };
    }
    case 1: {
      const [src, dst, proto] = [v6(), v6(), int(2) ? 6 : 17];
      const ip6Ext = int(2) === 1;
      const extHeaders = ip6Ext ? [{ type: 60, data: new Uint8Array(6) }] : [];
      return {
        ...base,
        bytes: frame(0x86dd, ipv6({ src, dst, nextHeader: proto, extHeaders, payload: transport(proto) })),
        etherType: 0x86dd,
        ipVersion: 6,
        src,
        dst,
        proto,
        ip6Ext,
      };
    }
    case 2: {
      const [src, dst, type, code] = [v4(), v4(), int(256), int(256)];
      return {
        ...base,
        bytes: frame(0x0800, ipv4({ src, dst, proto: 1, payload: icmp({ type, code }) })),
        etherType: 0x0800,
        ipVersion: 4,
        src,
        dst,
        proto: 1,
        srcPort: type,
        dstPort: code,
        cls: ProtocolClass.Icmp,
      };
    }
    case 3: {
      const [src, dst, type, code] = [v6(), v6(), int(256), int(256)];
      return {
        ...base,
        bytes: frame(0x86dd, ipv6({ src, dst, nextHeader: 58, payload: icmpv6({ type, code }) })),
        etherType: 0x86dd,
        ipVersion: 6,
        src,
        dst,
        proto: 58,
        srcPort: type,
        dstPort: code,
        cls: ProtocolClass.Icmpv6,
      };
    }
    default: {
      const [src, dst, op] = [v4(), v4(), 1 + int(2)];
      const payload = arp({ op, senderMac: macString(srcMac), senderIp: src, targetMac: op === 1 ? '00:00:00:00:00:00' : macString(dstMac), targetIp: dst });
      return { ...base, bytes: frame(0x0806, payload), etherType: 0x0806, ipVersion: 0, src, dst, proto: 0, srcPort: op, dstPort: 0, cls: ProtocolClass.Arp };
    }
  }
}

function ipv4Number(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

test('the key of each read frame holds what the frame was built with, and equal keys are one flow', async () => {
  const random = prng(SEED + 1);
  const pool = Array.from({ length: 300 }, () => craft(random));
  const picks = Array.from({ length: 3000 }, (_, i) => (i < pool.length ? i : Math.floor(random() * pool.length)));
  const pcap = writePcap({
    endian: 'le',
    resolution: 'us',
    linkType: 1,
    snaplen: 65535,
    records: picks.map((p, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: 0, data: pool[p].bytes })),
  });
  const { capture } = await ingest(bytesSource(pcap, 'crafted.pcap'));
  const { store, flows, ipv6: dictionary } = capture;
  assert.equal(store.length, picks.length);
  assert.equal(flows.count, pool.length, 'one flow per distinct frame');
  const flowOf = new Map<number, number>();
  for (let row = 0; row < store.length; row++) {
    const c = pool[picks[row]];
    const keys = flows.keys;
    const at = key.keyAt(store.flow[row]);
    const what = `frame ${row + 1} (crafted ${picks[row]})`;
    assert.equal(flowOf.get(picks[row]) ?? store.flow[row], store.flow[row], `${what}: the same frame, another flow`);
    flowOf.set(picks[row], store.flow[row]);
    const address = (id: number) => (c.ipVersion === 6 ? [...dictionary.bytesOf(id)] : id);
    const expected = (text: string) => (c.ipVersion === 6 ? [...ipv6Addr(text)] : ipv4Number(text));
    assert.deepEqual(
      {
        hasMac: key.hasMac(keys, at),
        macSrc: key.macSrc(keys, at),
        macDst: key.macDstHi(keys, at) * 2 ** 32 + key.macDstLo(keys, at),
        vlanCount: key.vlanCount(keys, at),
        vlanOuter: key.vlanOuter(keys, at),
        vlanInner: key.vlanInner(keys, at),
        etherType: key.etherType(keys, at),
        snap: key.snap(keys, at),
        ipVersion: key.ipVersion(keys, at),
        ipSrc: address(key.ipSrc(keys, at)),
        ipDst: address(key.ipDst(keys, at)),
        ipProto: key.ipProto(keys, at),
        srcPort: key.srcPort(keys, at),
        dstPort: key.dstPort(keys, at),
        ip6ExtHeaders: key.ip6ExtHeaders(keys, at),
        arpFixedLayout: key.arpFixedLayout(keys, at),
      },
      {
        hasMac: true,
        macSrc: c.srcMac,
        macDst: c.dstMac,
        vlanCount: c.vlans.length,
        vlanOuter: c.vlans[0] ?? NO_VLAN,
        vlanInner: c.vlans[1] ?? NO_VLAN,
        etherType: c.etherType,
        snap: false,
        ipVersion: c.ipVersion,
        ipSrc: expected(c.src),
        ipDst: expected(c.dst),
        ipProto: c.proto,
        srcPort: c.srcPort,
        dstPort: c.dstPort,
        ip6ExtHeaders: c.ip6Ext,
        arpFixedLayout: c.etherType === 0x0806,
      },
      what,
    );
    if (c.cls !== undefined) assert.equal(key.flowClass(keys, at), c.cls, `${what}: class`);
  }
});

/** The first index of [lo, hi) where `below` stops holding, found by looking at every one. */
function scan(lo: number, hi: number, below: (i: number) => boolean): number {
  let i = lo;
  while (i < hi && below(i)) i++;
  return i;
}

test('lowerBound, upperBound and partitionPoint agree with a linear scan', () => {
  const random = prng(SEED + 2);
  const int = (n: number) => Math.floor(random() * n);
  const arrays: ArrayLike<number>[] = [new Uint32Array(0), new Float64Array(0), Uint32Array.of(7), new Uint32Array(33).fill(5), new Float64Array(8).fill(-1.5)];
  for (let i = 0; i < 400; i++) {
    const n = int(70);
    // Small value ranges make long runs of duplicates; large ones make none.
    const range = [2, 10, 1000, 2 ** 32][int(4)];
    const values = Array.from({ length: n }, () => int(range)).sort((a, b) => a - b);
    arrays.push(i % 2 ? Uint32Array.from(values) : Float64Array.from(values, (v) => v / 4 - 3));
  }
  let checked = 0;
  for (const sorted of arrays) {
    const n = sorted.length;
    const queries = [
      -Infinity,
      Infinity,
      ...Array.from(sorted),
      ...Array.from({ length: 8 }, () => (n ? sorted[int(n)] + [-1, -0.5, 0, 0.5, 1][int(5)] : int(10) - 5)),
    ];
    for (const x of queries) {
      const what = `x ${x} in [${Array.from(sorted).join(', ')}]`;
      assert.equal(
        lowerBound(sorted, x),
        scan(0, n, (i) => sorted[i] < x),
        `lowerBound ${what}`,
      );
      assert.equal(
        upperBound(sorted, x),
        scan(0, n, (i) => sorted[i] <= x),
        `upperBound ${what}`,
      );
      assert.equal(
        partitionPoint(0, n, (i) => sorted[i] < x),
        scan(0, n, (i) => sorted[i] < x),
        `partitionPoint ${what}`,
      );
      const lo = int(n + 1);
      const hi = lo + int(n - lo + 1);
      assert.equal(
        lowerBound(sorted, x, lo, hi),
        scan(lo, hi, (i) => sorted[i] < x),
        `lowerBound [${lo}, ${hi}) ${what}`,
      );
      assert.equal(
        upperBound(sorted, x, lo, hi),
        scan(lo, hi, (i) => sorted[i] <= x),
        `upperBound [${lo}, ${hi}) ${what}`,
      );
      assert.equal(
        partitionPoint(lo, hi, (i) => sorted[i] <= x),
        scan(lo, hi, (i) => sorted[i] <= x),
        `partitionPoint [${lo}, ${hi}) ${what}`,
      );
      checked++;
    }
  }
  assert.ok(checked > 5000, `${checked} searches`);
});
