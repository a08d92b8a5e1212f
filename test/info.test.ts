/**
 * The Info column against tshark's `_ws.col.Info`, frame by frame, on every real capture.
 *
 * tshark runs with every protocol above the ones we word disabled (so a DNS datagram reads as
 * UDP does, "53 → 40000 Len=12"), with absolute TCP numbers and no sequence analysis or
 * reassembly, and without ARP duplicate detection: the stateless text `packetInfo` gives
 * without flow state. A second test hands `packetInfo` tshark's own flow state (relative
 * numbers, window scale, analysis verdicts) and expects tshark's default TCP text.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ByteSource } from '../src/capture/byte-source.ts';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { packetInfo, TcpAnalysis, type TcpInfoState } from '../src/decode/info.ts';
import { ingest, type Capture } from '../src/store/capture.ts';
import { arp, ethernet, lacpdu } from '../kit/frames.ts';
import { requireTool, sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

/** Protocol columns whose every frame must match. */
const ASSERTED = new Set(['ARP', 'RARP', 'DRARP', 'Inverse ARP', 'LACP', 'HSRP', 'HSRPv2', 'VRRP', 'ICMP', 'UDP', 'TCP']);
const KEEP = /^(_ws\..*|frame|eth|ethertype|vlan|ieee8021ad|ip|ipv6.*|tcp|udp|icmp|icmpv6|arp|llc|sll|null|slow|lacp|marker|hsrp|vrrp|stp|cdp|lldp|data|mpls)$/;
const STATELESS = [
  '-o',
  'tcp.relative_sequence_numbers:FALSE',
  '-o',
  'tcp.analyze_sequence_numbers:FALSE',
  '-o',
  'tcp.desegment_tcp_streams:FALSE',
  '-o',
  'arp.detect_duplicate_ips:FALSE',
];
/** ICMP echo pairing needs the other frame: tshark's "(reply in 9)" is left out of the comparison. */
const ICMP_PAIRING = /\s*\((request in \d+|reply in \d+|no response found!)\)/;

const dir = sharedCapturesDir();
const files = dir
  ? readdirSync(dir)
      .filter((n) => /\.pcap(ng)?$/.test(n))
      .sort()
  : [];

function disabledProtocols(): string[] {
  const list = execFileSync(requireTool('tshark'), ['-G', 'protocols'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  return list
    .split('\n')
    .map((l) => l.split('\t')[2])
    .filter((p) => p && !KEEP.test(p))
    .flatMap((p) => ['--disable-protocol', p]);
}

interface Opened {
  capture: Capture;
  source: ByteSource;
}

async function open(path: string): Promise<Opened | null> {
  const source = await nodeFileSource(path);
  try {
    return { capture: (await ingest(source)).capture, source };
  } catch {
    await source.close?.();
    return null;
  }
}

/** tshark lists pcapng custom blocks as frames without an interface; they are not packets. */
function packetRows(name: string, rows: string[][]): string[][] {
  return name.endsWith('.pcapng') ? rows.filter((r) => r[0] !== '') : rows;
}

interface Tally {
  match: number;
  total: number;
  misses: string[];
}

test('Info text equals tshark on every real capture (stateless: absolute TCP numbers)', { skip: sharedSkipReason }, async () => {
  const disable = disabledProtocols();
  const tally = new Map<string, Tally>();
  const fields = ['frame.interface_id', '_ws.col.Protocol', '_ws.col.Info', 'tcp.window_size_scalefactor', 'arp.hw.type'];
  await inParallel(files, 3, async (name) => {
    const path = join(dir!, name);
    const [oracle, opened] = await Promise.all([tsharkFields(path, fields, [...disable, ...STATELESS]), open(path)]);
    if (!opened) return;
    const { capture, source } = opened;
    const rows = packetRows(name, oracle.rows);
    const store = capture.store;
    for (let i = 0; i < Math.min(store.length, rows.length); i++) {
      const [, protocol, info, scale] = rows[i];
      const bytes = await source.read(store.offset[i], store.capLen[i]);
      // The flow's window scale is state the ingest keeps; tshark's stands in for it here.
      const state: TcpInfoState | undefined = Number(scale) > 0 ? { windowShift: Math.log2(Number(scale)) } : undefined;
      const ours = packetInfo(bytes, 0, store.capLen[i], capture.interfaces[store.iface[i]].linkType, state, store.origLen[i]);
      const expected = protocol === 'ICMP' ? info.replace(ICMP_PAIRING, '') : info;
      // ARP hardware type 19 (ATM, RFC 2225) goes to Wireshark's ATMARP dissector, a layout we do not decode.
      const key = protocol === 'ARP' && bytes[14] === 0 && bytes[15] === 19 ? 'ATMARP' : protocol || '(none)';
      const t = tally.get(key) ?? { match: 0, total: 0, misses: [] };
      tally.set(key, t);
      t.total++;
      if (ours === expected) t.match++;
      else t.misses.push(`${name} frame ${i + 1}: tshark ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}`);
    }
    await source.close?.();
  });
  report('Info vs tshark (stateless)', tally);
  for (const [protocol, t] of tally) {
    if (ASSERTED.has(protocol)) assert.deepEqual(t.misses.slice(0, 5), [], `${protocol}: ${t.total - t.match} of ${t.total} differ`);
  }
  for (const p of ['ARP', 'LACP', 'HSRP', 'HSRPv2', 'VRRP', 'ICMP', 'UDP', 'TCP']) assert.ok((tally.get(p)?.total ?? 0) > 0, `no ${p} frame compared`);
});

/** Runs `work` over `items`, `width` at a time: tshark runs in its own process while we decode. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

function report(title: string, tally: Map<string, Tally>): void {
  const lines = [...tally]
    .sort((a, b) => b[1].total - a[1].total)
    .map(([p, t]) => `  ${p.padEnd(16)} ${t.match}/${t.total} (${((100 * t.match) / t.total).toFixed(1)}%)${t.misses.length ? `  e.g. ${t.misses[0]}` : ''}`);
  console.log(`${title}:\n${lines.join('\n')}`);
}

/** tshark's expert messages for the analysis verdicts (its tcp.analysis.* flags print nothing as fields). */
const EXPERT: readonly [string, number][] = [
  ['This frame is a (suspected) retransmission', TcpAnalysis.Retransmission],
  ['This frame is a (suspected) fast retransmission', TcpAnalysis.FastRetransmission],
  ['This frame is a (suspected) spurious retransmission', TcpAnalysis.SpuriousRetransmission],
  ['This frame is a (suspected) out-of-order segment', TcpAnalysis.OutOfOrder],
  ['Previous segment(s) not captured (common at capture start)', TcpAnalysis.LostSegment],
  ["ACKed segment that wasn't captured (common at capture start)", TcpAnalysis.AckLostSegment],
  ['TCP window update', TcpAnalysis.WindowUpdate],
  ['TCP window specified by the receiver is now completely full', TcpAnalysis.WindowFull],
  ['TCP keep-alive segment', TcpAnalysis.KeepAlive],
  ['ACK to a TCP keep-alive segment', TcpAnalysis.KeepAliveAck],
  ['TCP Zero Window Probe', TcpAnalysis.ZeroWindowProbe],
  ['TCP Zero Window segment', TcpAnalysis.ZeroWindow],
  ['ACK to a TCP Zero Window Probe', TcpAnalysis.ZeroWindowProbeAck],
];

function analysisOf(experts: string, dupAckNum: string): number {
  const messages = new Set(experts.split(','));
  let flags = dupAckNum ? TcpAnalysis.DupAck : 0;
  for (const [message, bit] of EXPERT) if (messages.has(message)) flags |= bit;
  return flags;
}

const TCP_FILES = [
  'vlan-collisions.pcap',
  'cwd-navigation.pcap',
  'docker-http-upgrade.pcap',
  'smb_v2_only_non_zero_reserved1.pcap',
  'pptp.pcap',
  'of13_ericsson.pcapng',
  'vlan-pcp-dei.pcapng',
  'gap-data-missing.pcapng',
  'modbus-and-non-modbus-p502.pcap',
];

test('TCP Info with flow state: relative numbers, window scale and analysis prefixes as tshark prints them', { skip: sharedSkipReason }, async () => {
  const disable = disabledProtocols();
  const fields = [
    'frame.interface_id',
    '_ws.col.Protocol',
    '_ws.col.Info',
    'tcp.seq',
    'tcp.ack',
    'tcp.window_size_scalefactor',
    '_ws.expert.message',
    'tcp.analysis.duplicate_ack_frame',
    'tcp.analysis.duplicate_ack_num',
  ];
  const tally = new Map<string, Tally>();
  await inParallel(
    TCP_FILES.filter((f) => files.includes(f)),
    3,
    async (name) => {
      const path = join(dir!, name);
      const [oracle, opened] = await Promise.all([tsharkFields(path, fields, [...disable, '-o', 'tcp.desegment_tcp_streams:FALSE']), open(path)]);
      if (!opened) return;
      const { capture, source } = opened;
      const rows = packetRows(name, oracle.rows);
      for (let i = 0; i < rows.length; i++) {
        const [, protocol, info, seq, ack, scale, experts, dupFrame, dupNum] = rows[i];
        if (protocol !== 'TCP') continue;
        const state: TcpInfoState = {
          relSeq: Number(seq),
          relAck: Number(ack || 0),
          windowShift: Number(scale) > 0 ? Math.log2(Number(scale)) : -1,
          analysis: analysisOf(experts, dupNum),
          dupAckFrame: Number(dupFrame),
          dupAckCount: Number(dupNum),
        };
        const store = capture.store;
        const bytes = await source.read(store.offset[i], store.capLen[i]);
        const ours = packetInfo(bytes, 0, store.capLen[i], capture.interfaces[store.iface[i]].linkType, state, store.origLen[i]);
        const key = state.analysis ? 'TCP (analysed)' : 'TCP';
        const t = tally.get(key) ?? { match: 0, total: 0, misses: [] };
        tally.set(key, t);
        t.total++;
        if (ours === info) t.match++;
        else t.misses.push(`${name} frame ${i + 1}: tshark ${JSON.stringify(info)}, ours ${JSON.stringify(ours)}`);
      }
      await source.close?.();
    },
  );
  report('TCP Info with flow state vs tshark', tally);
  assert.ok((tally.get('TCP (analysed)')?.total ?? 0) > 20, 'analysed frames compared');
  for (const [key, t] of tally) assert.deepEqual(t.misses.slice(0, 5), [], `${key}: ${t.total - t.match} of ${t.total} differ`);
});

test('ARP probe, announcement and gratuitous reply read as RFC 5227 and Wireshark name them', () => {
  const frame = (op: number, senderIp: string, targetIp: string, targetMac = '00:00:00:00:00:00') =>
    ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      src: '00:11:22:33:44:55',
      etherType: 0x0806,
      payload: arp({ op, senderMac: '00:11:22:33:44:55', senderIp, targetMac, targetIp }),
    });
  const info = (b: Uint8Array) => packetInfo(b, 0, b.length, 1);
  assert.equal(info(frame(1, '0.0.0.0', '10.0.0.7')), 'Who has 10.0.0.7? (ARP Probe)');
  assert.equal(info(frame(1, '10.0.0.7', '10.0.0.7')), 'ARP Announcement for 10.0.0.7');
  assert.equal(info(frame(1, '10.0.0.7', '10.0.0.7', 'ff:ff:ff:ff:ff:ff')), 'Gratuitous ARP for 10.0.0.7 (Request)');
  assert.equal(info(frame(2, '10.0.0.7', '10.0.0.7')), 'Gratuitous ARP for 10.0.0.7 (Reply)');
  assert.equal(info(frame(2, '10.0.0.1', '10.0.0.7')), '10.0.0.1 is at 00:11:22:33:44:55');
  const cut = frame(1, '10.0.0.1', '10.0.0.7');
  assert.equal(packetInfo(cut, 0, 30, 1), '[Malformed Packet]');
  assert.equal(packetInfo(cut, 0, 30, 1, undefined, 60), '[Packet size limited during capture]');
});

test('LACP Info names both ends with their state letters', () => {
  const end = (system: string, port: number, state: number) => ({ systemPriority: 32768, system, key: 13, portPriority: 32768, port, state });
  const frame = ethernet({
    dst: '01:80:c2:00:00:02',
    src: '00:13:c4:12:0f:0d',
    etherType: 0x8809,
    payload: lacpdu({ actor: end('00:13:c4:12:0f:00', 22, 0x85), partner: end('00:0e:83:16:f5:00', 25, 0x36), collectorMaxDelay: 0 }),
  });
  assert.equal(packetInfo(frame, 0, frame.length, 1), 'v1 ACTOR 00:13:c4:12:0f:00 P: 22 K: 13 E****G*A PARTNER 00:0e:83:16:f5:00 P: 25 K: 13 **DC*GS*');
  assert.equal(packetInfo(frame, 0, 30, 1), 'Subtype = 1', 'a cut LACPDU is only the slow-protocols subtype');
});
