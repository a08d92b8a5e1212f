/**
 * Every real capture in ../shared/captures, read by our engine and by tshark: packet for
 * packet, the times (to the ns), lengths, addresses, VLANs, ports and protocol counts must
 * agree. Expected values come from tshark at test time.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { NotACapture } from '../src/capture/packet-sink.ts';
import { ingest } from '../src/store/capture.ts';
import { isDecodedLinkType } from '../src/decode/link-types.ts';
import { listRows, type ListRow } from '../src/store/list-rows.ts';
import { MergedOrder } from '../src/store/merged-order.ts';
import { protocolCounts, emptyProtocolCounts, type ProtocolCounts } from '../src/store/summary.ts';
import { epochText } from '../src/store/time-format.ts';
import { sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

const FIELDS = [
  'frame.time_epoch',
  'frame.len',
  'frame.cap_len',
  'frame.protocols',
  'frame.interface_id',
  'eth.src',
  'eth.dst',
  'vlan.id',
  'ieee8021ad.id',
  'ip.src',
  'ip.dst',
  'ip.proto',
  'ipv6.nxt',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'frame.comment',
];
const col = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<string, number>;

/** Files tshark reads with a timestamp fraction >= 1 s: it keeps the overflowed fraction, we carry it into the seconds. */
const INVALID_FRACTIONS = new Set(['timestamp_invalid_micro.pcap', 'timestamp_invalid_nano.pcap']);

const dir = sharedCapturesDir();
const files = dir
  ? readdirSync(dir)
      .filter((n) => /\.pcap(ng)?$/.test(n))
      .sort()
  : [];

for (const name of files.length ? files : ['(none)']) {
  test(`real capture ${name} agrees with tshark`, { skip: sharedSkipReason }, async () => {
    const path = join(dir!, name);
    const oracle = await tsharkFields(path, FIELDS);
    const source = await nodeFileSource(path);
    let result: Awaited<ReturnType<typeof ingest>>;
    // What the packet list shows, as the product computes it (list-rows), by frame.
    const shown: ListRow[] = [];
    try {
      result = await ingest(source, { chunkBytes: 1 << 16 });
      const { capture } = result;
      const n = capture.store.length;
      for (const row of await listRows(
        [{ capture, source }],
        new MergedOrder([{ store: capture.store, offsetSec: 0 }]),
        Array.from({ length: n }, (_, p) => p),
        -1,
      ))
        shown[row.frame - 1] = row;
    } catch (error) {
      assert.ok(error instanceof NotACapture, String(error));
      assert.equal(oracle.rows.length, 0, `we refused ${name} (${(error as Error).message}) but tshark read ${oracle.rows.length} packets`);
      return;
    } finally {
      await source.close?.();
    }
    const { capture } = result;
    // tshark lists pcapng custom blocks as frames of no interface; they are not packets.
    const rows = name.endsWith('.pcapng') ? oracle.rows.filter((r) => r[col['frame.interface_id']] !== '') : oracle.rows;
    assert.equal(capture.store.length, rows.length, 'packet count');
    const expectedCounts = emptyProtocolCounts();
    rows.forEach((row, i) => {
      const where = `${name} frame ${i + 1}`;
      const store = capture.store;
      if (row[col['frame.time_epoch']] && !INVALID_FRACTIONS.has(name)) {
        assert.equal(epochText(store.sec(i), store.tsNs[i]), row[col['frame.time_epoch']], `${where} time`);
      }
      assert.equal(store.origLen[i], Number(row[col['frame.len']]), `${where} length`);
      assert.equal(store.capLen[i], Number(row[col['frame.cap_len']]), `${where} captured length`);
      const ours = shown[i];
      const protocols = row[col['frame.protocols']].split(':');
      const malformed = protocols.includes('_ws.malformed') || protocols.includes('_ws.short');
      const decoded = isDecodedLinkType(capture.interfaces[store.iface[i]].linkType);
      if (decoded && !malformed && !ours.malformed) {
        const ip4 = first(row[col['ip.src']]);
        const ip6 = first(row[col['ipv6.src']]);
        const firstIp = protocols.find((p) => p === 'ip' || p === 'ipv6');
        if (firstIp === 'ip' && ip4) assert.deepEqual([ours.source, ours.destination], [ip4, first(row[col['ip.dst']])], `${where} IPv4 addresses`);
        if (firstIp === 'ipv6' && ip6) assert.deepEqual([ours.source, ours.destination], [ip6, first(row[col['ipv6.dst']])], `${where} IPv6 addresses`);
        const tags = [...split(row[col['ieee8021ad.id']]), ...split(row[col['vlan.id']])];
        if (protocols[1] === 'ethertype' || protocols[0] === 'eth') assert.equal(ours.vlan, tags.slice(0, 2).join(','), `${where} VLAN ids`);
      }
      if (decoded) tallyExpected(expectedCounts, protocols, row);
    });
    const counts = protocolCounts(capture);
    for (const key of Object.keys(expectedCounts) as (keyof ProtocolCounts)[]) {
      assert.equal(counts[key], expectedCounts[key], `${name}: ${key} frames`);
    }
  });
}

function tallyExpected(c: ProtocolCounts, protocols: string[], row: string[]): void {
  const firstIp = protocols.find((p) => p === 'ip' || p === 'ipv6');
  if (protocols.includes('arp')) c.arp++;
  if (protocols.includes('vlan') || protocols.includes('ieee8021ad')) c.vlan++;
  const transport = firstIp === 'ip' ? first(row[col['ip.proto']]) : firstIp === 'ipv6' ? ipv6Transport(protocols) : '';
  if (transport === '6' || transport === 'tcp') c.tcp++;
  if (transport === '17' || transport === 'udp') c.udp++;
  if (transport === '1') c.icmp++;
  if (firstIp === 'ip') c.ipv4++;
  if (firstIp === 'ipv6') c.ipv6++;
  if (protocols.includes('lacp')) c.lacp++;
  if (protocols.includes('hsrp') || protocols.includes('hsrp2')) c.hsrp++;
  // Our `vrrp` is tcpdump's: IP protocol 112, whether or not the payload parses as VRRP.
  if (firstIp === 'ip' && first(row[col['ip.proto']]) === '112') c.vrrp++;
  if (firstIp === 'ipv6' && first(row[col['ipv6.nxt']]) === '112') c.vrrp++;
}

/** The protocol after the first IPv6 header and its extension headers. */
function ipv6Transport(protocols: string[]): string {
  const at = protocols.indexOf('ipv6');
  return protocols.slice(at + 1).find((p) => !p.startsWith('ipv6.')) ?? '';
}

function first(list: string | undefined): string {
  return (list ?? '').split(',')[0];
}

function split(list: string | undefined): string[] {
  return list ? list.split(',') : [];
}
