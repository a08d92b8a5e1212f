/**
 * The protocol decoders and the detail tree against tshark on the real captures: every LACP,
 * HSRP v1/v2, VRRP and ARP field our decoders return equals tshark's field of the same frame;
 * the LACP tree reads line for line as `tshark -V` prints it; every tree's byte ranges lie in
 * the frame and each child in its parent. Vendor names are compared with eth.src_resolved.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { ipv4Text } from '../src/decode/addresses.ts';
import { packetDetails, type DetailNode } from '../src/decode/details.ts';
import { loadOui, shortManufacturerName, vendorMac } from '../src/decode/oui.ts';
import { macAt } from '../src/decode/protocols/ethernet.ts';
import { LACP_STATE_BITS, type LacpPort } from '../src/decode/protocols/lacp.ts';
import { dissect, type Stack } from '../src/decode/protocols/stack.ts';
import { ingest } from '../src/store/capture.ts';
import { requireTool, sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

const dir = sharedCapturesDir();
const allFiles = dir
  ? readdirSync(dir)
      .filter((n) => /\.pcap(ng)?$/.test(n))
      .sort()
  : [];

interface Frame {
  bytes: Uint8Array;
  capLen: number;
  linkType: number;
}

/** Every frame of a capture, its bytes read again from the file at the offset the store kept. */
async function framesOf(name: string): Promise<Frame[]> {
  const source = await nodeFileSource(join(dir!, name));
  try {
    const { capture } = await ingest(source);
    const s = capture.store;
    const frames: Frame[] = [];
    for (let i = 0; i < s.length; i++) {
      frames.push({ bytes: await source.read(s.offset[i], s.capLen[i]), capLen: s.capLen[i], linkType: capture.interfaces[s.iface[i]].linkType });
    }
    return frames;
  } catch {
    return [];
  } finally {
    await source.close?.();
  }
}

/**
 * For each frame where the decoder found its protocol, `ours` gives the fields in tshark's
 * order and spelling; they must equal tshark's cells. Frames tshark decodes and we do not fail too.
 */
async function compare(files: string[], fields: string[], present: (s: Stack) => boolean, ours: (s: Stack, b: Uint8Array) => string[]): Promise<number> {
  let compared = 0;
  for (const name of files.filter((f) => allFiles.includes(f))) {
    const [frames, oracle] = await Promise.all([framesOf(name), tsharkFields(join(dir!, name), ['frame.interface_id', ...fields])]);
    const rows = name.endsWith('.pcapng') ? oracle.rows.filter((r) => r[0] !== '') : oracle.rows;
    frames.forEach((f, i) => {
      const s = dissect(f.bytes, 0, f.capLen, f.linkType);
      const expected = rows[i].slice(1);
      if (!present(s)) {
        assert.equal(expected[0], '', `${name} frame ${i + 1}: tshark has ${fields[0]} = ${expected[0]}, we found no such header`);
        return;
      }
      compared++;
      const got = ours(s, f.bytes);
      for (const [k, field] of fields.entries()) assert.equal(got[k], expected[k], `${name} frame ${i + 1}: ${field}`);
    });
  }
  return compared;
}

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, '0')}`;
const side = (p: LacpPort) => [
  String(p.systemPriority),
  p.system,
  String(p.key),
  String(p.portPriority),
  String(p.port),
  hex(p.state, 2),
  ...LACP_STATE_BITS.map((bit) => (p.flags[bit] ? '1' : '0')),
];
const sideFields = (who: string) =>
  [
    'sys_priority',
    'sysid',
    'key',
    'port_priority',
    'port',
    'state',
    ...['activity', 'timeout', 'aggregation', 'synchronization', 'collecting', 'distributing', 'defaulted', 'expired'].map((b) => `state.${b}`),
  ].map((f) => `lacp.${who}.${f}`);

test('LACP decoder fields equal tshark (actor, partner, every state bit, collector delay)', { skip: sharedSkipReason }, async () => {
  const fields = ['lacp.version', ...sideFields('actor'), ...sideFields('partner'), 'lacp.collector.max_delay'];
  const n = await compare(
    ['LACP.pcap', 'slow-ossp.pcap'],
    fields,
    (s) => s.lacp !== null,
    (s) => [hex(s.lacp!.version, 2), ...side(s.lacp!.actor), ...side(s.lacp!.partner), String(s.lacp!.collectorMaxDelay)],
  );
  assert.equal(n, 20);
});

test('HSRP v1 decoder fields equal tshark (hello, coup, advertise)', { skip: sharedSkipReason }, async () => {
  const fields = [
    'hsrp.opcode',
    'hsrp.version',
    'hsrp.state',
    'hsrp.hellotime',
    'hsrp.holdtime',
    'hsrp.priority',
    'hsrp.group',
    'hsrp.auth_data',
    'hsrp.virt_ip',
    'hsrp.adv.state',
    'hsrp.adv.activegrp',
    'hsrp.adv.passivegrp',
  ];
  const opt = (v: number) => (v < 0 ? '' : String(v));
  const n = await compare(
    ['HSRP_coup.pcap', 'HSRP_election.pcap', 'HSRP_failover.pcap'],
    fields,
    (s) => s.hsrp !== null,
    (s) => {
      const h = s.hsrp!;
      const a = h.advertise;
      return [
        String(h.opcode),
        String(h.version),
        opt(h.state),
        opt(h.hellotime),
        opt(h.holdtime),
        opt(h.priority),
        opt(h.group),
        h.opcode < 3 ? h.auth : '',
        h.opcode < 3 ? ipv4Text(h.virtualIp) : '',
        a ? String(a.state) : '',
        a ? String(a.activeGroups) : '',
        a ? String(a.passiveGroups) : '',
      ];
    },
  );
  assert.equal(n, 139);
});

test('HSRP v2 decoder fields equal tshark (group state over IPv4 and IPv6, interface state, text auth)', { skip: sharedSkipReason }, async () => {
  const fields = [
    'hsrp2.ipversion',
    'hsrp2.version',
    'hsrp2.opcode',
    'hsrp2.state',
    'hsrp2.group',
    'hsrp2.identifier',
    'hsrp2.priority',
    'hsrp2.hellotime',
    'hsrp2.holdtime',
    'hsrp2.virt_ip',
    'hsrp2.virt_ip_v6',
    'hsrp2.active_groups',
    'hsrp2.passive_groups',
    'hsrp2.auth_data',
  ];
  const files = ['hsrpv2-election.pcapng', 'hsrpv2-arp-gratuitous.pcapng', 'hsrp-v2-ipv6-hello.pcapng'];
  const n = await compare(
    files,
    fields.slice(1),
    (s) => s.hsrp2 !== null,
    (s, b) => {
      const h = s.hsrp2!;
      const g = h.group;
      const v6 = g && g.ipVersion === 6 ? execIpv6(b, g.virtualIpAt) : '';
      return [
        g ? String(g.version) : '',
        g ? String(g.opcode) : '',
        g ? String(g.state) : '',
        g ? String(g.group) : '',
        g?.identifier ?? '',
        g ? String(g.priority) : '',
        g ? String(g.hellotime) : '',
        g ? String(g.holdtime) : '',
        g && g.ipVersion === 4 ? ipv4Text(g.virtualIp) : '',
        v6,
        h.interfaceState ? String(h.interfaceState.activeGroups) : '',
        h.interfaceState ? String(h.interfaceState.passiveGroups) : '',
        h.auth ?? '',
      ];
    },
  );
  assert.equal(n, 67);
});

function execIpv6(b: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[at + i] << 8) | b[at + i + 1]).toString(16));
  // Compare in tshark's compressed form: the decoder's text is RFC 5952, so render the same way.
  return groups
    .join(':')
    .replace(/(^|:)0(:0)+(:|$)/, '::')
    .replace(/^:::?/, '::');
}

test('VRRP decoder fields equal tshark (v2 with auth text, v3 over IPv4 and IPv6, CARP)', { skip: sharedSkipReason }, async () => {
  const fields = [
    'vrrp.version',
    'vrrp.type',
    'vrrp.virt_rtr_id',
    'vrrp.prio',
    'vrrp.addr_count',
    'vrrp.auth_type',
    'vrrp.adver_int',
    'vrrp.short_adver_int',
    'vrrp.checksum',
    'vrrp.ip_addr',
    'vrrp.ipv6_addr',
    'vrrp.auth_string',
  ];
  const files = ['vrrp.pcap', 'libpcap_vrrp.pcap', 'carp.pcap', 'vrrp-gratuitous-arp.pcapng', 'vrrp-vrrp_print-oobr-2.pcap'];
  const n = await compare(
    files,
    fields,
    (s) => s.vrrp !== null,
    (s) => {
      const v = s.vrrp!;
      const v3 = v.version === 3;
      return [
        String(v.version),
        String(v.type),
        String(v.vrid),
        String(v.priority),
        String(v.count),
        v3 ? '' : String(v.authType),
        v3 ? '' : String(v.advertInterval),
        v3 ? String(v.advertInterval) : '',
        hex(v.checksum, 4),
        v.ipVersion === 4 ? v.addresses.join(',') : '',
        v.ipVersion === 6 ? v.addresses.join(',') : '',
        v.authText ?? '',
      ];
    },
  );
  assert.equal(n, 187);
});

test('ARP decoder fields equal tshark, fuzzed frames included', { skip: sharedSkipReason }, async () => {
  const fields = [
    'arp.opcode',
    'arp.hw.type',
    'arp.proto.type',
    'arp.hw.size',
    'arp.proto.size',
    'arp.src.hw_mac',
    'arp.src.proto_ipv4',
    'arp.dst.hw_mac',
    'arp.dst.proto_ipv4',
  ];
  const files = [
    'arp-oobr.pcap',
    'arp-too-long-tha.pcap',
    'eapon1.pcap',
    'icmp_dot1q.pcap',
    'linuxsll-arp.pcap',
    'snap-arp.pcapng',
    'q-in-q.pcap',
    '802.1ad_QinQ.pcap',
    'vrrp-gratuitous-arp.pcapng',
    'hsrpv2-arp-gratuitous.pcapng',
  ];
  // Hardware type 19 (ATM) goes to tshark's ATMARP dissector, whose fields are not arp.*; and a
  // frame cut before the addresses has no address fields in either.
  const n = await compare(
    files,
    fields,
    (s) => s.arp !== null && s.arp.hwType !== 19,
    (s, b) => {
      const a = s.arp!;
      const mac = (at: number) => (a.complete && a.hwType !== 19 && (a.hwType === 1 || a.hwType === 6) && a.hwSize === 6 ? macAt(b, at) : '');
      const ip = (v: number) => (v >= 0 ? ipv4Text(v) : '');
      return [
        String(a.opcode),
        String(a.hwType),
        hex(a.protoType, 4),
        String(a.hwSize),
        String(a.protoSize),
        mac(a.shaAt),
        ip(a.senderIp),
        mac(a.thaAt),
        ip(a.targetIp),
      ];
    },
  );
  assert.ok(n > 2300, `${n} ARP frames compared`);
});

/** The LACP subtree as `tshark -V` indents it, four spaces a level. */
function flatten(node: DetailNode, depth: number, out: string[]): string[] {
  out.push(`${' '.repeat(4 * depth)}${node.label}`);
  for (const c of node.children ?? []) flatten(c, depth + 1, out);
  return out;
}

test('the LACP tree reads line for line as tshark -V prints it, vendor names included', { skip: sharedSkipReason }, async () => {
  await loadOui();
  const name = 'LACP.pcap';
  const text = execFileSync(requireTool('tshark'), ['-r', join(dir!, name), '-V', '-O', 'lacp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const blocks = text.split(/\n(?=Frame \d+:)/).map((frame) => {
    const lines = frame.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Link Aggregation Control Protocol'));
    const rest = lines.slice(at);
    return rest.slice(0, rest.findIndex((l, i) => i > 0 && !l.startsWith(' ')) >>> 0).filter((l) => l.trim() !== '');
  });
  const frames = await framesOf(name);
  assert.equal(frames.length, blocks.length);
  frames.forEach((f, i) => {
    const lacp = packetDetails(f.bytes, 0, f.capLen, f.linkType).find((n) => n.label === 'Link Aggregation Control Protocol')!;
    // tshark cuts long byte strings with an ellipsis: the pad is compared by its prefix.
    const ours = flatten(lacp, 0, []).map((l) => (l.trimStart().startsWith('Pad: ') ? l.slice(0, 4 + 5 + 72) : l));
    const theirs = blocks[i].map((l) => l.replace(/…$/, ''));
    assert.deepEqual(ours, theirs, `${name} frame ${i + 1}`);
  });
});

function checkRanges(node: DetailNode, lo: number, hi: number, where: string): number {
  assert.ok(node.start >= lo && node.end <= hi && node.start <= node.end, `${where}: "${node.label}" [${node.start}, ${node.end}) outside [${lo}, ${hi})`);
  return 1 + (node.children ?? []).reduce((n, c) => n + checkRanges(c, node.start, node.end, where), 0);
}

test('every detail tree of every real capture stays in its frame, children inside parents', { skip: sharedSkipReason }, async () => {
  let nodes = 0;
  for (const name of allFiles) {
    (await framesOf(name)).forEach((f, i) => {
      for (const top of packetDetails(f.bytes, 0, f.capLen, f.linkType)) nodes += checkRanges(top, 0, f.capLen, `${name} frame ${i + 1}`);
    });
  }
  assert.ok(nodes > 100000, `${nodes} nodes checked`);
});

/** Files whose sources span many vendors, the HSRP/VRRP virtual MACs, locally administered and zero addresses. */
const VENDOR_FILES = [
  'LACP.pcap',
  'HSRP_failover.pcap',
  'vrrp.pcap',
  'eapon1.pcap',
  'arp-oobr.pcap',
  'docker-http-upgrade.pcap',
  'mixed-vlan-mpls.pcap',
  'modbus-and-non-modbus-p502.pcap',
  'pcapng-multi-interface.pcapng',
  'cwd-navigation.pcap',
  'of13_ericsson.pcapng',
  'nmap-vsn.pcap',
  'pptp.pcap',
  'vlan-collisions.pcap',
];

test('vendor names: vendorMac against tshark eth.src_resolved (mismatches reported, Cisco exact)', { skip: sharedSkipReason }, async () => {
  await loadOui();
  let same = 0;
  let total = 0;
  const misses = new Map<string, string>();
  await Promise.all(
    VENDOR_FILES.filter((f) => allFiles.includes(f)).map(async (name) => {
      const [frames, oracle] = await Promise.all([framesOf(name), tsharkFields(join(dir!, name), ['frame.interface_id', 'eth.src', 'eth.src_resolved'])]);
      const rows = name.endsWith('.pcapng') ? oracle.rows.filter((r) => r[0] !== '') : oracle.rows;
      frames.forEach((f, i) => {
        const [, src, resolved] = rows[i] ?? [];
        if (f.linkType !== 1 || !src || src.includes(',')) return;
        total++;
        const ours = vendorMac(f.bytes, 6);
        if (ours === resolved) same++;
        else misses.set(src.slice(0, 8), `${src}: tshark ${resolved}, ours ${ours} (${name})`);
        if (/^Cisco_/.test(resolved)) assert.equal(ours, resolved, `${name} frame ${i + 1}`);
      });
    }),
  );
  console.log(
    `eth.src_resolved: ${same}/${total} frames equal (${((100 * (total - same)) / total).toFixed(1)}% differ); differing prefixes:\n  ${[...misses.values()].join('\n  ')}`,
  );
  assert.ok(same / total > 0.9, `${same}/${total}`);
});

test("the short-name rule reproduces tshark's manuf file where its organisation name is the IEEE's", {
  skip: existsSync('/usr/share/wireshark/manuf') ? false : 'no /usr/share/wireshark/manuf',
}, () => {
  let same = 0;
  const differ: string[] = [];
  for (const line of readFileSync('/usr/share/wireshark/manuf', 'utf8').split('\n')) {
    const [prefix, short, long] = line.split('\t');
    if (line.startsWith('#') || !long) continue;
    if (shortManufacturerName(long) === short) same++;
    else differ.push(`${prefix} ${long} -> ${short}, ours ${shortManufacturerName(long)}`);
  }
  console.log(`manuf short names: ${same}/${same + differ.length} reproduced; e.g.\n  ${differ.slice(0, 8).join('\n  ')}`);
  assert.ok(same / (same + differ.length) > 0.97);
  for (const [org, short] of [
    ['Cisco Systems, Inc', 'Cisco'],
    ['Intel Corporate', 'IntelCor'],
    ['Dell Inc.', 'Dell'],
    ['Hewlett Packard', 'HewlettP'],
    ['XEROX CORPORATION', 'Xerox'],
  ]) {
    assert.equal(shortManufacturerName(org), short, org);
  }
});
