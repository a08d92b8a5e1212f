// Checks the kit's capture writers and frame builders (kit/) against tshark/tcpdump, never
// against our own readers: a writer bug must not be able to hide a reader bug.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipBytes } from '../kit/gzip.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import { writePcapng, type Block } from '../kit/pcapng-writer.ts';
import * as f from '../kit/frames.ts';
import { tcpdumpFrames, tsharkFields } from './support/oracle.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'capture-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function save(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** tshark's frame.time_epoch: always nine fractional digits. */
function epoch(sec: bigint, nsec: bigint): string {
  return `${sec}.${nsec.toString().padStart(9, '0')}`;
}

/** Expected epoch of a pcapng timestamp; sub-ns remainders are truncated, as wiretap does. */
function pcapngEpoch(ts: bigint, tsresol = 6, tsoffset = 0n): string {
  const units = tsresol & 0x80 ? 2n ** BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
  return epoch(ts / units + tsoffset, ((ts % units) * 1_000_000_000n) / units);
}

/** Rows as objects keyed by field name, for readable assertions. */
async function tshark(file: string, fields: string[], extraArgs: string[] = []) {
  const { rows, status, stderr } = await tsharkFields(file, fields, extraArgs);
  return { status, stderr, rows: rows.map((r) => Object.fromEntries(fields.map((name, i) => [name, r[i]]))) };
}

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';

function tcpFrame(src: string, sport: number, vlans?: f.Vlan[]): Uint8Array {
  return f.ethernet({
    dst: MAC_B,
    src: MAC_A,
    vlans,
    etherType: 0x0800,
    payload: f.ipv4({
      src,
      dst: '198.51.100.1',
      proto: 6,
      payload: f.tcp({ sport, dport: 443, seq: 1000, ack: 0, flags: 'S', window: 64240 }),
    }),
  });
}

// Checksum verification is off by default in tshark; turning it on proves the builders' checksums.
const CHECKSUMS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
const GOOD = '1'; // *.checksum.status: 0 bad, 1 good, 2 unverified

for (const endian of ['le', 'be'] as const) {
  for (const resolution of ['us', 'ns'] as const) {
    test(`pcap ${endian} ${resolution}`, async () => {
      const fracMax = resolution === 'us' ? 999_999 : 999_999_999;
      const qinq = tcpFrame('192.0.2.1', 40001, [
        { tpid: 0x88a8, id: 100, pcp: 3 },
        { tpid: 0x9100, id: 150 },
        { tpid: 0x8100, id: 200, pcp: 5 },
      ]);
      const file = save(
        `${endian}-${resolution}.pcap`,
        writePcap({
          endian,
          resolution,
          linkType: 1,
          snaplen: 64,
          records: [
            { tsSec: 1_700_000_000, tsFrac: fracMax, data: qinq },
            // Snapped: only the first 34 bytes (Ethernet + IPv4) were kept.
            { tsSec: 1_700_000_001, tsFrac: 1, data: tcpFrame('192.0.2.2', 40002).subarray(0, 34), origLen: 1514 },
          ],
        }),
      );
      const fields = [
        'frame.time_epoch',
        'frame.len',
        'frame.cap_len',
        'eth.src',
        'ieee8021ad.id',
        'ieee8021ad.priority',
        'vlan.id',
        'vlan.priority',
        'ip.src',
        'tcp.srcport',
        'ip.checksum.status',
        'tcp.checksum.status',
      ];
      const { rows, status } = await tshark(file, fields, CHECKSUMS);
      assert.equal(status, 0);
      const toNs = resolution === 'us' ? 1000n : 1n;
      assert.deepEqual(rows, [
        {
          'frame.time_epoch': epoch(1_700_000_000n, BigInt(fracMax) * toNs),
          'frame.len': String(qinq.length),
          'frame.cap_len': String(qinq.length),
          'eth.src': MAC_A,
          // tshark names 0x88a8 tags "ieee8021ad" and 0x8100/0x9100 tags "vlan".
          'ieee8021ad.id': '100',
          'ieee8021ad.priority': '3',
          'vlan.id': '150,200',
          'vlan.priority': '0,5',
          'ip.src': '192.0.2.1',
          'tcp.srcport': '40001',
          'ip.checksum.status': GOOD,
          'tcp.checksum.status': GOOD,
        },
        {
          'frame.time_epoch': epoch(1_700_000_001n, toNs),
          'frame.len': '1514',
          'frame.cap_len': '34',
          'eth.src': MAC_A,
          'ieee8021ad.id': '',
          'ieee8021ad.priority': '',
          'vlan.id': '',
          'vlan.priority': '',
          'ip.src': '192.0.2.2',
          'tcp.srcport': '',
          'ip.checksum.status': GOOD,
          'tcp.checksum.status': '',
        },
      ]);

      const header = await tshark(
        file,
        ['pcap.header.magic_number', 'pcap.header.snapshot_length', 'pcap.header.link_type'],
        ['-X', 'read_format:MIME Files Format'],
      );
      assert.deepEqual(header.rows[0], {
        // Shown as the bytes in file order, which also proves the byte order.
        'pcap.header.magic_number': { le: { us: 'd4c3b2a1', ns: '4d3cb2a1' }, be: { us: 'a1b2c3d4', ns: 'a1b23c4d' } }[endian][resolution],
        'pcap.header.snapshot_length': '64',
        'pcap.header.link_type': '1',
      });
    });
  }
}

test('pcap with a record cut short (forged incl_len)', async () => {
  const frame = tcpFrame('192.0.2.1', 40001);
  const file = save(
    'truncated.pcap',
    writePcap({
      endian: 'le',
      resolution: 'us',
      linkType: 1,
      snaplen: 65535,
      records: [
        { tsSec: 1, tsFrac: 0, data: frame },
        { tsSec: 2, tsFrac: 0, data: frame.subarray(0, 10), capLen: frame.length },
      ],
    }),
  );
  const { rows, status, stderr } = await tshark(file, ['ip.src']);
  assert.equal(status, 2);
  assert.match(stderr, /cut short/);
  assert.deepEqual(rows, [{ 'ip.src': '192.0.2.1' }]);
});

test('pcap link type 1: ARP, LACP, HSRP, VRRP, IPv6 extension headers', async () => {
  const lacpInfo = { systemPriority: 32768, system: MAC_A, key: 13, portPriority: 32768, port: 7, state: 0x3d };
  const udpOver4 = (dst: string, port: number, payload: Uint8Array) =>
    f.ipv4({ src: '192.0.2.1', dst, proto: 17, ttl: 1, payload: f.udp({ sport: port, dport: port, payload }) });
  const frames = [
    f.ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      src: MAC_A,
      etherType: 0x0806,
      payload: f.arp({ op: 1, senderMac: MAC_A, senderIp: '192.0.2.1', targetMac: '00:00:00:00:00:00', targetIp: '192.0.2.254' }),
    }),
    f.ethernet({
      dst: '01:80:c2:00:00:02',
      src: MAC_A,
      etherType: 0x8809,
      payload: f.lacpdu({ actor: lacpInfo, partner: { ...lacpInfo, system: MAC_B, port: 9 }, collectorMaxDelay: 0 }),
    }),
    f.ethernet({
      dst: '01:00:5e:00:00:02',
      src: MAC_A,
      etherType: 0x0800,
      payload: udpOver4('224.0.0.2', 1985, f.hsrpV1({ opcode: 0, state: 16, hellotime: 3, holdtime: 10, priority: 110, group: 1, virtualIp: '192.0.2.100' })),
    }),
    f.ethernet({
      dst: '01:00:5e:00:00:66',
      src: MAC_A,
      etherType: 0x0800,
      payload: udpOver4(
        '224.0.0.102',
        1985,
        f.hsrpV2({
          opcode: 0,
          state: 6,
          group: 2,
          identifier: MAC_A,
          priority: 100,
          hellotime: 3000,
          holdtime: 10000,
          virtualIp: '192.0.2.101',
          auth: 'cisco',
        }),
      ),
    }),
    f.ethernet({
      dst: '01:00:5e:00:00:12',
      src: '00:00:5e:00:01:05',
      etherType: 0x0800,
      payload: f.ipv4({
        src: '192.0.2.1',
        dst: '224.0.0.18',
        proto: 112,
        ttl: 255,
        payload: f.vrrpV2({ vrid: 5, priority: 100, addresses: ['192.0.2.200', '192.0.2.201'], advertInt: 1 }),
      }),
    }),
    f.ethernet({
      dst: '33:33:00:00:00:12',
      src: '00:00:5e:00:02:06',
      etherType: 0x86dd,
      payload: f.ipv6({
        src: 'fe80::1',
        dst: 'ff02::12',
        nextHeader: 112,
        hopLimit: 255,
        payload: f.vrrpV3({ vrid: 6, priority: 200, addresses: ['fe80::6'], maxAdvertInt: 100 }),
      }),
    }),
    f.ethernet({
      dst: MAC_B,
      src: MAC_A,
      etherType: 0x86dd,
      payload: f.ipv6({
        src: '2001:db8::1',
        dst: '2001:db8::2',
        nextHeader: 58,
        extHeaders: [
          { type: 0, data: Uint8Array.of(1, 4, 0, 0, 0, 0) }, // PadN
          { type: 43, data: Uint8Array.of(0, 0, 0, 0, 0, 0) }, // type 0, no segments left
          { type: 60, data: Uint8Array.of(1, 12) }, // PadN, pads to 16 bytes
          { type: 44, data: Uint8Array.of(0, 0, 0, 0, 0x12, 0x34) }, // atomic fragment
        ],
        payload: f.icmpv6({ type: 128, code: 0, id: 7, seq: 1 }),
      }),
    }),
    f.ethernet({
      dst: MAC_B,
      src: MAC_A,
      etherType: 0x86dd,
      payload: f.ipv6({
        src: '2001:db8::1',
        dst: '2001:db8::2',
        nextHeader: 58,
        extHeaders: [{ type: 60, data: Uint8Array.of(1, 4, 0, 0, 0, 0) }],
        payload: f.icmpv6({ type: 128, code: 0, id: 8, seq: 1, payload: Uint8Array.of(1, 2, 3) }),
      }),
    }),
  ];
  const file = save(
    'protocols.pcap',
    writePcap({
      endian: 'le',
      resolution: 'us',
      linkType: 1,
      snaplen: 65535,
      records: frames.map((data, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: 0, data })),
    }),
  );
  const { rows, status } = await tshark(
    file,
    [
      'arp.opcode',
      'lacp.actor.port',
      'lacp.partner.port',
      'hsrp.virt_ip',
      'hsrp2.virt_ip',
      'hsrp2.group',
      'vrrp.virt_rtr_id',
      'vrrp.version',
      'vrrp.checksum.status',
      'ipv6.hopopts.nxt',
      'ipv6.routing.nxt',
      'ipv6.dstopts.nxt',
      'icmpv6.echo.identifier',
      'icmpv6.checksum.status',
      'udp.checksum.status',
      '_ws.malformed',
    ],
    CHECKSUMS,
  );
  assert.equal(status, 0);
  const present = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));
  assert.deepEqual(present, [
    { 'arp.opcode': '1' },
    { 'lacp.actor.port': '7', 'lacp.partner.port': '9' },
    { 'hsrp.virt_ip': '192.0.2.100', 'udp.checksum.status': GOOD },
    { 'hsrp2.virt_ip': '192.0.2.101', 'hsrp2.group': '2', 'udp.checksum.status': GOOD },
    { 'vrrp.virt_rtr_id': '5', 'vrrp.version': '2', 'vrrp.checksum.status': GOOD },
    { 'vrrp.virt_rtr_id': '6', 'vrrp.version': '3', 'vrrp.checksum.status': GOOD },
    { 'ipv6.hopopts.nxt': '43', 'ipv6.routing.nxt': '60', 'ipv6.dstopts.nxt': '44', 'icmpv6.echo.identifier': '0x0007', 'icmpv6.checksum.status': GOOD },
    { 'ipv6.dstopts.nxt': '58', 'icmpv6.echo.identifier': '0x0008', 'icmpv6.checksum.status': GOOD },
  ]);
  // libpcap's "vrrp" keyword matches IPv4 only.
  assert.deepEqual((await tcpdumpFrames(file, 'arp or vrrp or ip6 proto 112')).frames, [1, 5, 6]);
});

test('pcap link type 1: TCP options, DF and padding, TLS, DNS, DHCP, NTP, RTP, neighbour discovery', async () => {
  const over4 = (proto: number, payload: Uint8Array) =>
    f.ethernet({ dst: MAC_B, src: MAC_A, etherType: 0x0800, payload: f.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto, payload }) });
  const udpOver4 = (sport: number, dport: number, payload: Uint8Array) => over4(17, f.udp({ sport, dport, payload }));
  const name = 'www.example.org';
  const frames = [
    f.ethernet({
      dst: MAC_B,
      src: MAC_A,
      vlans: [{ tpid: 0x8100, id: 5 }],
      etherType: 0x0800,
      padTo: 60, // 58 bytes before
      payload: f.ipv4({
        src: '192.0.2.1',
        dst: '192.0.2.2',
        proto: 6,
        df: true,
        payload: f.tcp({ sport: 40000, dport: 443, seq: 1, ack: 1, flags: 'A', window: 502 }),
      }),
    }),
    // MSS 1460, NOP, window scale 7, SACK permitted: 10 bytes, padded to 12.
    over4(6, f.tcp({ sport: 40000, dport: 443, seq: 1, ack: 0, flags: 'S', window: 502, options: Uint8Array.of(2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2) })),
    over4(6, f.tcp({ sport: 443, dport: 40000, seq: 2, ack: 2, flags: 'PA', window: 502, payload: f.tlsRecord(23, new Uint8Array(20)) })),
    udpOver4(40001, 53, f.dnsMessage({ id: 0x1234, flags: 0x0100, name, qtype: 1 })),
    udpOver4(
      53,
      40001,
      f.dnsMessage({
        id: 0x1234,
        flags: 0x8180,
        name,
        qtype: 1,
        answers: [
          { ttl: 300, data: f.ipv4Addr('198.51.100.7') },
          { ttl: 60, data: f.ipv4Addr('198.51.100.8') },
        ],
      }),
    ),
    udpOver4(68, 67, f.dhcpMessage({ op: 1, xid: 0xdeadbeef, broadcast: true, chaddr: MAC_A, messageType: 1, options: [[55, Uint8Array.of(1, 3, 6)]] })),
    udpOver4(67, 68, f.dhcpMessage({ op: 2, xid: 0xdeadbeef, yiaddr: '192.0.2.50', chaddr: MAC_A, messageType: 5, options: [[51, f.u32(86400)]] })),
    udpOver4(123, 123, f.ntpPacket({ mode: 4, stratum: 2, poll: 6, precision: -23, refId: '192.0.2.9', transmit: { sec: 3_900_000_000, frac: 0x80000000 } })),
    udpOver4(16400, 45600, f.rtp({ payloadType: 96, seq: 77, timestamp: 1000, ssrc: 0xcafe, payload: new Uint8Array(160) })),
    f.ethernet({
      dst: '33:33:ff:00:00:01',
      src: MAC_A,
      etherType: 0x86dd,
      payload: f.ipv6({
        src: '2001:db8::a',
        dst: 'ff02::1:ff00:1',
        nextHeader: 58,
        hopLimit: 255,
        payload: f.neighborSolicitation({ target: '2001:db8::1', sourceMac: MAC_A }),
      }),
    }),
    f.ethernet({
      dst: MAC_A,
      src: MAC_B,
      etherType: 0x86dd,
      payload: f.ipv6({
        src: '2001:db8::1',
        dst: '2001:db8::a',
        nextHeader: 58,
        hopLimit: 255,
        payload: f.neighborAdvertisement({ flags: f.NA_ROUTER | f.NA_SOLICITED, target: '2001:db8::1', targetMac: MAC_B }),
      }),
    }),
  ];
  const file = save(
    'payloads.pcap',
    writePcap({
      endian: 'le',
      resolution: 'us',
      linkType: 1,
      snaplen: 65535,
      records: frames.map((data, i) => ({ tsSec: 1_700_000_000 + i, tsFrac: 0, data })),
    }),
  );
  const fields = [
    'frame.len',
    'ip.flags.df',
    'tcp.hdr_len',
    'tcp.options.mss_val',
    'tcp.options.wscale.shift',
    'tcp.checksum.status',
    'tls.record.content_type',
    'dns.qry.name',
    'dns.a',
    'dns.resp.ttl',
    'dhcp.option.dhcp',
    'dhcp.flags.bc',
    'dhcp.ip.your',
    'ntp.flags.mode',
    'ntp.stratum',
    'ntp.refid',
    'rtp.p_type',
    'rtp.seq',
    'udp.checksum.status',
    'icmpv6.nd.ns.target_address',
    'icmpv6.nd.na.target_address',
    'icmpv6.nd.na.flag.r',
    'icmpv6.nd.na.flag.s',
    'icmpv6.opt.linkaddr',
    'icmpv6.checksum.status',
    '_ws.malformed',
  ];
  const { rows, status } = await tshark(file, fields, [...CHECKSUMS, '-d', 'udp.port==16400,rtp']);
  assert.equal(status, 0);
  // Fields that are absent, and DF where it is 0, are left out.
  const present = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k, v]) => v !== '' && !(k === 'ip.flags.df' && v === '0'))));
  const udpOk = { 'udp.checksum.status': GOOD };
  assert.deepEqual(present, [
    { 'frame.len': '60', 'ip.flags.df': '1', 'tcp.hdr_len': '20', 'tcp.checksum.status': GOOD },
    { 'frame.len': '66', 'tcp.hdr_len': '32', 'tcp.options.mss_val': '1460', 'tcp.options.wscale.shift': '7', 'tcp.checksum.status': GOOD },
    { 'frame.len': '79', 'tcp.hdr_len': '20', 'tcp.checksum.status': GOOD, 'tls.record.content_type': '23' },
    { 'frame.len': '75', 'dns.qry.name': name, ...udpOk },
    { 'frame.len': '107', 'dns.qry.name': name, 'dns.a': '198.51.100.7,198.51.100.8', 'dns.resp.ttl': '300,60', ...udpOk },
    // BOOTP messages are padded to 300 bytes.
    { 'frame.len': '342', 'dhcp.option.dhcp': '1', 'dhcp.flags.bc': '1', 'dhcp.ip.your': '0.0.0.0', ...udpOk },
    { 'frame.len': '342', 'dhcp.option.dhcp': '5', 'dhcp.flags.bc': '0', 'dhcp.ip.your': '192.0.2.50', ...udpOk },
    { 'frame.len': '90', 'ntp.flags.mode': '4', 'ntp.stratum': '2', 'ntp.refid': 'c0000209', ...udpOk },
    { 'frame.len': '214', 'rtp.p_type': '96', 'rtp.seq': '77', ...udpOk },
    { 'frame.len': '86', 'icmpv6.nd.ns.target_address': '2001:db8::1', 'icmpv6.opt.linkaddr': MAC_A, 'icmpv6.checksum.status': GOOD },
    {
      'frame.len': '86',
      'icmpv6.nd.na.target_address': '2001:db8::1',
      'icmpv6.nd.na.flag.r': '1',
      'icmpv6.nd.na.flag.s': '1',
      'icmpv6.opt.linkaddr': MAC_B,
      'icmpv6.checksum.status': GOOD,
    },
  ]);
});

test('pcap link types 113 (SLL), 276 (SLL2), 101 (raw IP), 0 (NULL)', async () => {
  const packet = f.ipv4({
    src: '192.0.2.9',
    dst: '192.0.2.10',
    proto: 17,
    payload: f.udp({ sport: 40000, dport: 50000, payload: f.ascii('hello') }),
  });
  const cases = [
    {
      linkType: 113,
      data: f.linuxSll({ pktType: 4, haType: 1, addr: MAC_A, protocol: 0x0800, payload: packet }),
      fields: { 'sll.pkttype': '4', 'sll.src.eth': MAC_A },
    },
    {
      linkType: 276,
      data: f.linuxSll2({ protocol: 0x0800, ifIndex: 3, haType: 1, pktType: 0, addr: MAC_A, payload: packet }),
      fields: { 'sll.ifindex': '3', 'sll.src.eth': MAC_A },
    },
    { linkType: 101, data: packet, fields: {} },
    { linkType: 0, data: f.bsdNull(2, packet, true), fields: { 'null.family': '2' } },
    { linkType: 0, data: f.bsdNull(2, packet, false), fields: { 'null.family': '2' } },
  ];
  for (const [i, c] of cases.entries()) {
    const file = save(
      `linktype-${c.linkType}-${i}.pcap`,
      writePcap({ endian: 'be', resolution: 'ns', linkType: c.linkType, snaplen: 262144, records: [{ tsSec: 1, tsFrac: 2, data: c.data }] }),
    );
    const names = [...Object.keys(c.fields), 'ip.src', 'udp.srcport', 'udp.checksum.status', '_ws.malformed'];
    const { rows, status } = await tshark(file, names, CHECKSUMS);
    assert.equal(status, 0);
    const expected = { ...c.fields, 'ip.src': '192.0.2.9', 'udp.srcport': '40000', 'udp.checksum.status': GOOD, '_ws.malformed': '' };
    assert.deepEqual(rows, [expected], `link type ${c.linkType}`);
  }
});

test('pcapng: two sections of different byte order, tsresol/tsoffset, every block type, gzip', async () => {
  const frame = (n: number) => tcpFrame(`192.0.2.${n}`, 40000 + n);
  const pow2 = 0x80 | 20;
  const sec = 1_700_000_000n;
  const first: Block[] = [
    { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth0', description: 'first', tsresol: 6 },
    { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth1', tsresol: 9, tsoffset: 1000n },
    { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth2', tsresol: pow2 },
    { type: 'idb', linkType: 1, snaplen: 65535, name: 'eth3', tsresol: pow2, tsoffset: -5n },
    { type: 'epb', iface: 0, ts: sec * 1_000_000n + 123_456n, data: frame(1), comment: ['one', 'two'] },
    { type: 'epb', iface: 1, ts: sec * 1_000_000_000n + 123_456_789n, data: frame(2), comment: 'single' },
    { type: 'epb', iface: 2, ts: (sec << 20n) + 1n, data: frame(3) },
    { type: 'epb', iface: 2, ts: (sec << 20n) + (1n << 20n) - 1n, data: frame(4) },
    { type: 'epb', iface: 3, ts: (sec << 20n) + (1n << 19n), data: frame(5), origLen: 1514 },
    { type: 'spb', data: frame(6) },
    { type: 'pb', iface: 1, ts: 5n, data: frame(7) },
    { type: 'isb', iface: 0 },
    { type: 'nrb' },
    { type: 'dsb' },
    { type: 'custom' },
    { type: 'unknown', code: 0x12345 },
  ];
  const second: Block[] = [
    // Interface 0 again, but of this section: the timestamp is read in ns.
    { type: 'idb', linkType: 1, snaplen: 65535, name: 'be0', tsresol: 9 },
    { type: 'epb', iface: 0, ts: sec * 1_000_000_000n + 999_999_999n, data: frame(8), comment: 'big endian' },
  ];
  const bytes = writePcapng({
    sections: [
      { endian: 'le', comment: 'little', blocks: first },
      { endian: 'be', comment: 'big', blocks: second },
    ],
  });
  const file = save('two-sections.pcapng', bytes);
  // Not frame.interface_name: tshark 4.0 looks it up by the section-local id in the first section's list.
  const fields = ['frame.section_number', 'frame.interface_id', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.comment', 'ip.src'];
  const { rows, status } = await tshark(file, fields);
  assert.equal(status, 0);
  const row = (section: string, iface: string, time: string, n: number, comment = '', len = '54') => ({
    'frame.section_number': section,
    'frame.interface_id': iface,
    'frame.time_epoch': time,
    'frame.len': len,
    'frame.cap_len': '54',
    'frame.comment': comment,
    'ip.src': `192.0.2.${n}`,
  });
  assert.deepEqual(rows, [
    row('1', '0', pcapngEpoch(sec * 1_000_000n + 123_456n), 1, 'one,two'),
    row('1', '1', pcapngEpoch(sec * 1_000_000_000n + 123_456_789n, 9, 1000n), 2, 'single'),
    row('1', '2', pcapngEpoch((sec << 20n) + 1n, pow2), 3),
    row('1', '2', pcapngEpoch((sec << 20n) + (1n << 20n) - 1n, pow2), 4),
    row('1', '3', pcapngEpoch((sec << 20n) + (1n << 19n), pow2, -5n), 5, '', '1514'),
    // An SPB has no timestamp; tshark leaves the field empty.
    row('1', '0', '', 6),
    row('1', '1', pcapngEpoch(5n, 9, 1000n), 7),
    // tshark presents a custom block as a record of its own (no interface, data dissected as bytes).
    {
      'frame.section_number': '1',
      'frame.interface_id': '',
      'frame.time_epoch': '',
      'frame.len': '12',
      'frame.cap_len': '12',
      'frame.comment': '',
      'ip.src': '',
    },
    row('2', '0', pcapngEpoch(sec * 1_000_000_000n + 999_999_999n, 9), 8, 'big endian'),
  ]);
  // Pin the hand-computed values, so a shared mistake in pcapngEpoch can't pass unnoticed.
  assert.deepEqual(
    rows.slice(2, 5).map((r) => r['frame.time_epoch']),
    ['1700000000.000000953', '1700000000.999999046', '1699999995.500000000'],
  );

  // tshark's file-format dissector checks every block's framing and options.
  const structure = await tshark(
    file,
    [
      'pcapng.block.type',
      'pcapng.block.length',
      'pcapng.block.length_trailer',
      'pcapng.section_header.section_length',
      'pcapng.options.option.data.interface.name',
      '_ws.expert.message',
    ],
    ['-X', 'read_format:MIME Files Format'],
  );
  assert.equal(structure.status, 0);
  const s = structure.rows[0];
  assert.equal(s['_ws.expert.message'], '');
  assert.equal(s['pcapng.options.option.data.interface.name'], 'eth0,eth1,eth2,eth3,be0');
  assert.equal(s['pcapng.block.length'], s['pcapng.block.length_trailer']);
  const types = s['pcapng.block.type'].split(',').map(Number);
  assert.deepEqual(types, [0x0a0d0d0a, 1, 1, 1, 1, 6, 6, 6, 6, 6, 3, 2, 5, 4, 0x0a, 0xbad, 0x12345, 0x0a0d0d0a, 1, 6]);
  const lengths = s['pcapng.block.length'].split(',').map(Number);
  const secondShb = types.lastIndexOf(0x0a0d0d0a);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  assert.equal(lengths.length, types.length);
  assert.equal(sum(lengths), bytes.length);
  assert.deepEqual(s['pcapng.section_header.section_length'].split(',').map(Number), [sum(lengths.slice(1, secondShb)), sum(lengths.slice(secondShb + 1))]);

  const gz = await tshark(save('two-sections.pcapng.gz', gzipBytes(bytes)), fields);
  assert.equal(gz.status, 0);
  assert.deepEqual(gz.rows, rows);
});

test('pcapng in one byte order is also readable by tcpdump (libpcap)', async () => {
  // libpcap cannot follow a change of byte order between sections, so this file has one section.
  const file = save(
    'single-section.pcapng',
    writePcapng({
      sections: [
        {
          endian: 'be',
          blocks: [
            { type: 'idb', linkType: 1, snaplen: 65535, tsresol: 9 },
            { type: 'epb', iface: 0, ts: 1n, data: tcpFrame('192.0.2.1', 1) },
            { type: 'epb', iface: 0, ts: 2n, data: tcpFrame('192.0.2.2', 2) },
            { type: 'epb', iface: 0, ts: 3n, data: tcpFrame('192.0.2.1', 3) },
          ],
        },
      ],
    }),
  );
  const { frames, status } = await tcpdumpFrames(file, 'src host 192.0.2.1');
  assert.equal(status, 0);
  assert.deepEqual(frames, [1, 3]);
});
