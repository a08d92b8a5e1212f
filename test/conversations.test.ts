/**
 * The conversations table against tshark and tcpdump, at test time: per IP pair, Ethernet
 * pair and TCP/UDP 5-tuple, the packets and bytes tshark's fields add up to; and for every
 * conversation that carries a tcpdump expression, tcpdump's count for that expression equals
 * the conversation's packets (the expression is what Only and Exclude write).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { conversations, flowTotals, topConversations, type Conversation, type ConversationKind } from '../src/analysis/conversations.ts';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { compileFilter } from '../src/filter/compile.ts';
import { excluding } from '../src/filter/compose.ts';
import { matchingRows } from '../src/filter/match.ts';
import { ingest, type Capture } from '../src/store/capture.ts';
import { sharedCapturesDir, sharedSkipReason, tcpdumpFrames, tsharkFields } from './support/oracle.ts';

const CAPTURES = [
  'VlanPackets.pcap',
  'q-in-q.pcap',
  'mixed-vlan-mpls.pcap',
  'vrrp.pcap',
  'HSRP_election.pcap',
  'nmap-vsn.pcap',
  'modbusBig.pcap',
  'docker-http-upgrade.pcap',
  'arp-oobr.pcap',
  'hsrp-v2-ipv6-hello.pcapng',
  '802-1q-tunneling-icmp.pcapng',
  'linuxsll-arp.pcap',
];
/** tcpdump runs per capture: the largest conversations of each kind. */
const CHECKED_PER_KIND = 12;

const dir = sharedCapturesDir();

async function open(file: string): Promise<{ capture: Capture; table: (kind: ConversationKind) => Conversation[]; close: () => Promise<void> }> {
  const source = await nodeFileSource(file);
  const { capture } = await ingest(source);
  const totals = flowTotals(capture);
  return {
    capture,
    table: (kind) => topConversations(kind, [conversations(capture, totals, kind)], 'packets').rows,
    close: async () => source.close?.(),
  };
}

/** Sums tshark's frame.len per unordered pair of the first occurrence of two fields. */
function pairs(rows: string[][], ends: (row: string[]) => [string, string] | null): Map<string, { packets: number; bytes: number }> {
  const out = new Map<string, { packets: number; bytes: number }>();
  for (const row of rows) {
    const e = ends(row);
    if (!e) continue;
    const key = e[0] < e[1] ? `${e[0]}|${e[1]}` : `${e[1]}|${e[0]}`;
    const sum = out.get(key) ?? { packets: 0, bytes: 0 };
    sum.packets++;
    sum.bytes += Number(row[0]);
    out.set(key, sum);
  }
  return out;
}

const first = (field: string | undefined) => (field ?? '').split(',')[0];

const unordered = (x: string, y: string) => (x < y ? `${x}|${y}` : `${y}|${x}`);

function ours(table: Conversation[], keyOf: (c: Conversation) => string = (c) => unordered(c.a, c.b)): Map<string, { packets: number; bytes: number }> {
  const out = new Map<string, { packets: number; bytes: number }>();
  for (const c of table) {
    const sum = out.get(keyOf(c)) ?? { packets: 0, bytes: 0 };
    sum.packets += c.packets;
    sum.bytes += c.bytes;
    out.set(keyOf(c), sum);
  }
  return out;
}

for (const name of CAPTURES) {
  test(`conversations = tshark's sums and tcpdump's counts: ${name}`, { skip: sharedSkipReason }, async () => {
    const file = path.join(dir!, name);
    const { capture, table, close } = await open(file);
    try {
      const ethernet = capture.interfaces.every((i) => i.linkType === 1);
      const { rows } = await tsharkFields(file, [
        'frame.len',
        'eth.src',
        'eth.dst',
        'ip.src',
        'ip.dst',
        'ipv6.src',
        'ipv6.dst',
        'ip.proto',
        'ipv6.nxt',
        'tcp.srcport',
        'tcp.dstport',
        'udp.srcport',
        'udp.dstport',
      ]);
      assert.equal(rows.length, capture.store.length);

      const ip = pairs(rows, (r) => (first(r[3]) ? [first(r[3]), first(r[4])] : first(r[5]) ? [first(r[5]), first(r[6])] : null));
      assert.deepEqual(ours(table('ip')), ip, 'IP pairs');

      if (ethernet)
        assert.deepEqual(
          ours(table('ether')),
          pairs(rows, (r) => (first(r[1]) ? [first(r[1]), first(r[2])] : null)),
          'Ethernet pairs',
        );

      // 5-tuples of TCP and UDP where the first IP header's protocol says so; tshark's have no VLAN, so ours are summed over VLANs.
      const tuple = (r: string[]) => {
        const proto = first(r[7]) || first(r[8]);
        const v6 = !first(r[3]);
        const [src, dst] = v6 ? [first(r[5]), first(r[6])] : [first(r[3]), first(r[4])];
        const at = (a: string, port: string) => (v6 ? `[${a}]:${port}` : `${a}:${port}`);
        if (proto === '6' && first(r[9])) return [`TCP ${at(src, first(r[9]))}`, `TCP ${at(dst, first(r[10]))}`] as [string, string];
        if (proto === '17' && first(r[11])) return [`UDP ${at(src, first(r[11]))}`, `UDP ${at(dst, first(r[12]))}`] as [string, string];
        return null;
      };
      const flows = table('flow').filter((c) => c.transport === 'TCP' || c.transport === 'UDP');
      assert.deepEqual(
        ours(flows, (c) => unordered(`${c.transport} ${c.a}`, `${c.transport} ${c.b}`)),
        pairs(rows, tuple),
        'TCP/UDP 5-tuples',
      );

      for (const kind of ['proto', 'vlan'] as const) {
        assert.equal(
          table(kind).reduce((n, c) => n + c.packets, 0),
          capture.store.length,
          `${kind}: every packet in one row`,
        );
      }

      const source = await nodeFileSource(file);
      try {
        for (const kind of ['ether', 'ip', 'flow', 'proto', 'vlan'] as const) {
          for (const c of table(kind)
            .filter((c) => c.filter !== null)
            .slice(0, CHECKED_PER_KIND)) {
            const tcpdump = await tcpdumpFrames(file, c.filter!);
            assert.equal(tcpdump.frames.length, c.packets, `${kind} ${c.key}: tcpdump '${c.filter}' matches ${tcpdump.frames.length}`);
            const rowsOurs = await matchingRows(capture, source, compileFilter(c.filter!));
            assert.equal(rowsOurs.length, c.packets, `${kind} ${c.key}: our engine on '${c.filter}'`);
          }
        }
      } finally {
        await source.close?.();
      }
    } finally {
      await close();
    }
  });
}

test('Exclude joins a conversation to the filter so that tcpdump drops exactly its packets', { skip: sharedSkipReason }, async () => {
  const file = path.join(dir!, 'VlanPackets.pcap');
  const { table, close } = await open(file);
  try {
    const [tagged] = table('ip');
    assert.match(tagged.filter ?? '', /^vlan and vlan and /, 'the largest IP pair of this capture is double-tagged');
    const count = async (expression: string) => (await tcpdumpFrames(file, expression)).frames.length;
    const all = (await tcpdumpFrames(file)).frames.length;

    // An empty filter, a filter without `vlan`, and one with it (the conversation's clause goes first).
    const cases: [string, string][] = [
      ['', tagged.filter!],
      ['not arp', tagged.filter!],
      ['vlan 118', 'ether host 01:00:0c:cc:cc:cc'],
    ];
    for (const [current, clause] of cases) {
      const joined = excluding(current, clause);
      assert.ok('text' in joined, `${current} + ${clause}: ${'problem' in joined ? joined.problem : ''}`);
      const base = current ? await count(current) : all;
      const both = current ? await count(`(${current}) and (${clause})`) : await count(clause);
      assert.equal(await count(joined.text), base - both, `'${joined.text}'`);
    }
    const refused = excluding('vlan 118', tagged.filter!);
    assert.ok('problem' in refused, 'two expressions that both use vlan cannot be joined');
  } finally {
    await close();
  }
});
