/**
 * The filter engine against tcpdump: for every expression of test/support/filter-cases.ts and
 * every capture below, tcpdump (run at test time) decides. Where it rejects the expression,
 * compileFilter must throw FilterSyntaxError; where it accepts, matchingRows must return
 * exactly the frames tcpdump writes. One generated capture carries the traffic of field story 1
 * (../shared/docs/field-stories.md); the others are the real captures in ../shared/captures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { compileFilter, FilterSyntaxError } from '../src/filter/compile.ts';
import { checkLinkTypes } from '../src/filter/link-support.ts';
import { matchingRows } from '../src/filter/match.ts';
import { ingest } from '../src/store/capture.ts';
import { writePcap, type PcapRecord } from '../kit/pcap-writer.ts';
import * as f from '../kit/frames.ts';
import { ALWAYS_FALSE_CASES, FILTER_CASES, INVALID_FILTER_CASES } from './support/filter-cases.ts';
import { sharedCapturesDir, sharedSkipReason, tcpdumpFrames } from './support/oracle.ts';

/** tcpdump processes at a time (each expression costs two: all packets, then the matching ones). */
const TCPDUMP_CONCURRENCY = 2;

// ---- the generated capture: field story 1's traffic shapes -------------------------------

const ROUTER = '00:50:56:aa:bb:01'; // the vRouter, 10.100.100.75
const PEER = '00:1b:21:cc:dd:02';
const HSRP_VMAC = '00:00:0c:9f:f0:01'; // the gateway's HSRP virtual MAC
const VRRP_VMAC = '00:00:5e:00:01:2a';
const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const V956: f.Vlan[] = [{ tpid: 0x8100, id: 956 }];

type Ipv4Options = Parameters<typeof f.ipv4>[0];

/** An Ethernet frame carrying IPv4. */
function eth4(ip: Ipv4Options, o: { vlans?: f.Vlan[]; src?: string; dst?: string; fragment?: number } = {}): Uint8Array {
  let packet = f.ipv4(ip);
  if (o.fragment !== undefined) packet = withFragmentField(packet, o.fragment);
  return f.ethernet({ dst: o.dst ?? PEER, src: o.src ?? ROUTER, vlans: o.vlans, etherType: 0x0800, payload: packet });
}

/** IPv4 flags and fragment offset (bytes 6-7: DF 0x4000, MF 0x2000, offset in 8-byte units), header checksum redone. */
function withFragmentField(packet: Uint8Array, field: number): Uint8Array {
  const out = packet.slice();
  out.set(f.u16(field), 6);
  out.set(f.u16(0), 10);
  out.set(f.u16(f.internetChecksum(out.subarray(0, (out[0] & 0x0f) * 4))), 10);
  return out;
}

function eth6(ip: Parameters<typeof f.ipv6>[0], o: { vlans?: f.Vlan[]; src?: string; dst?: string } = {}): Uint8Array {
  return f.ethernet({ dst: o.dst ?? PEER, src: o.src ?? ROUTER, vlans: o.vlans, etherType: 0x86dd, payload: f.ipv6(ip) });
}

/** Ethernet's minimum frame: 60 bytes before the FCS. */
function pad60(frame: Uint8Array): Uint8Array {
  return frame.length >= 60 ? frame : f.concat(frame, new Uint8Array(60 - frame.length));
}

function tcpSeg(sport: number, dport: number, flags: string, payload?: Uint8Array): Uint8Array {
  return f.tcp({ sport, dport, seq: 0x1000, ack: flags.includes('A') ? 0x2000 : 0, flags, window: 64240, payload });
}

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

/** 802.3 frame (length field instead of an EtherType) with an LLC header. */
function llcFrame(dst: string, src: string, llc: Uint8Array, vlans?: f.Vlan[]): Uint8Array {
  return pad60(f.ethernet({ dst, src, vlans, etherType: llc.length, payload: llc }));
}

function storyFrames(): Array<{ data: Uint8Array; origLen?: number }> {
  const keepAlive = eth4({ src: '172.20.18.40', dst: '10.100.200.143', proto: 6, payload: tcpSeg(33389, 1434, 'A') }, { vlans: V956 });
  const arpWhoHas = (dst: string, vlans?: f.Vlan[]) =>
    pad60(
      f.ethernet({
        dst,
        src: ROUTER,
        vlans,
        etherType: 0x0806,
        payload: f.arp({ op: 1, senderMac: ROUTER, senderIp: '10.100.100.75', targetMac: '00:00:00:00:00:00', targetIp: '10.100.100.65' }),
      }),
    );
  const udpFragment = f.udp({ sport: 5353, dport: 1500, payload: bytes(1472, 7) });
  const truncatedSyn = eth4({ src: '172.20.18.40', dst: '10.200.224.80', proto: 6, payload: tcpSeg(51002, 9090, 'S') }, { vlans: V956 });
  const bigPush = eth4({ src: '172.20.18.40', dst: '10.200.224.80', proto: 6, payload: tcpSeg(51003, 9090, 'PA', bytes(1400, 3)) });
  const quoted = f.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: f.udp({ sport: 40053, dport: 53, payload: bytes(20, 1) }) });
  const igmpReport = (() => {
    const msg = f.concat(Uint8Array.of(0x16, 0), f.u16(0), f.ipv4Addr('239.1.1.1'));
    msg.set(f.u16(f.internetChecksum(msg)), 2);
    return msg;
  })();
  const sctpInit = f.concat(f.u16(9), f.u16(9), f.u32(0), f.u32(0x12345678), Uint8Array.of(1, 0), f.u16(20), bytes(16, 9));
  const gre = f.concat(f.u16(0), f.u16(0x0800), f.ipv4({ src: '10.200.224.80', dst: '10.0.0.2', proto: 6, payload: tcpSeg(9090, 80, 'S') }));
  const bpdu = f.concat(Uint8Array.of(0x42, 0x42, 0x03), f.u16(0), Uint8Array.of(2, 2, 0x3c), bytes(32, 5));

  return [
    // VLAN 956, the heavy flow to 10.200.224.80:9090: handshake, data, teardown.
    { data: eth4({ src: '172.20.18.40', dst: '10.200.224.80', proto: 6, payload: tcpSeg(51000, 9090, 'S') }, { vlans: V956 }) },
    { data: eth4({ src: '10.200.224.80', dst: '172.20.18.40', proto: 6, payload: tcpSeg(9090, 51000, 'SA') }, { vlans: V956, src: PEER, dst: ROUTER }) },
    { data: pad60(eth4({ src: '172.20.18.40', dst: '10.200.224.80', proto: 6, payload: tcpSeg(51000, 9090, 'A') }, { vlans: V956 })) },
    {
      data: eth4(
        {
          src: '172.20.18.40',
          dst: '10.200.224.80',
          proto: 6,
          payload: tcpSeg(51000, 9090, 'PA', f.ascii('GET /status HTTP/1.1\r\nHost: 10.200.224.80:9090\r\nUser-Agent: monitor\r\nAccept: */*\r\n\r\n')),
        },
        { vlans: V956 },
      ),
    },
    { data: eth4({ src: '172.20.18.40', dst: '10.200.224.80', proto: 6, payload: tcpSeg(51000, 9090, 'FA') }, { vlans: V956 }) },
    { data: eth4({ src: '10.200.224.80', dst: '172.20.18.40', proto: 6, payload: tcpSeg(9090, 51000, 'R') }, { vlans: V956, src: PEER, dst: ROUTER }) },
    // The same host untagged, and UDP to port 9090 on VLAN 956.
    { data: pad60(eth4({ src: '172.20.18.41', dst: '10.200.224.80', proto: 6, payload: tcpSeg(51001, 9090, 'S') })) },
    {
      data: eth4(
        { src: '10.200.224.80', dst: '172.20.18.40', proto: 17, payload: f.udp({ sport: 9090, dport: 9090, payload: bytes(30, 2) }) },
        { vlans: V956 },
      ),
    },
    // TCP keep-alives on VLAN 956 to 10.100.200.143:1434, the same frame repeating (as in the story).
    { data: pad60(keepAlive) },
    { data: pad60(keepAlive) },
    { data: pad60(keepAlive) },
    { data: pad60(eth4({ src: '10.100.200.143', dst: '172.20.18.40', proto: 6, payload: tcpSeg(1434, 33389, 'A') }, { vlans: V956, src: PEER, dst: ROUTER })) },
    // The same ports untagged: `port 1434` alone never looks behind a VLAN tag.
    { data: pad60(eth4({ src: '172.20.18.40', dst: '10.100.200.143', proto: 6, payload: tcpSeg(33389, 1434, 'S') })) },
    { data: pad60(eth4({ src: '10.100.200.143', dst: '172.20.18.40', proto: 6, payload: tcpSeg(1434, 33389, 'SA') }, { src: PEER, dst: ROUTER })) },
    // ICMP: echo and reply, one on VLAN 956, an error quoting a UDP datagram to port 53, a time exceeded.
    { data: eth4({ src: '10.100.100.75', dst: '10.100.100.65', proto: 1, payload: f.icmp({ type: 8, code: 0, id: 7, seq: 1, payload: bytes(56, 4) }) }) },
    {
      data: eth4(
        { src: '10.100.100.65', dst: '10.100.100.75', proto: 1, payload: f.icmp({ type: 0, code: 0, id: 7, seq: 1, payload: bytes(56, 4) }) },
        { src: PEER, dst: ROUTER },
      ),
    },
    {
      data: eth4(
        { src: '172.20.18.40', dst: '10.100.200.143', proto: 1, payload: f.icmp({ type: 8, code: 0, id: 8, seq: 1, payload: bytes(32, 4) }) },
        { vlans: V956 },
      ),
    },
    { data: eth4({ src: '10.0.0.2', dst: '10.0.0.1', proto: 1, payload: f.icmp({ type: 3, code: 3, payload: quoted.subarray(0, 28) }) }) },
    { data: eth4({ src: '192.168.0.1', dst: '10.100.100.75', proto: 1, ttl: 255, payload: f.icmp({ type: 11, code: 0, payload: quoted.subarray(0, 28) }) }) },
    // VRRP: v2 adverts untagged and on VLAN 956, v3 over IPv6.
    {
      data: pad60(
        eth4(
          {
            src: '10.100.100.75',
            dst: '224.0.0.18',
            proto: 112,
            ttl: 255,
            payload: f.vrrpV2({ vrid: 42, priority: 200, addresses: ['10.100.100.1'], advertInt: 1 }),
          },
          { src: VRRP_VMAC, dst: '01:00:5e:00:00:12' },
        ),
      ),
    },
    {
      data: pad60(
        eth4(
          {
            src: '10.100.100.75',
            dst: '224.0.0.18',
            proto: 112,
            ttl: 255,
            payload: f.vrrpV2({ vrid: 42, priority: 200, addresses: ['10.100.100.1'], advertInt: 1 }),
          },
          { vlans: V956, src: VRRP_VMAC, dst: '01:00:5e:00:00:12' },
        ),
      ),
    },
    {
      data: eth6(
        {
          src: 'fe80::1',
          dst: 'ff02::12',
          nextHeader: 112,
          hopLimit: 255,
          payload: f.vrrpV3({ vrid: 45, priority: 100, addresses: ['fe80::45'], maxAdvertInt: 100 }),
        },
        { src: '00:00:5e:00:02:2d', dst: '33:33:00:00:00:12' },
      ),
    },
    // ARP for the gateway: unicast to the HSRP virtual MAC, then broadcast; a reply; one on VLAN 956; RARP.
    { data: arpWhoHas(HSRP_VMAC) },
    { data: arpWhoHas(BROADCAST) },
    {
      data: pad60(
        f.ethernet({
          dst: ROUTER,
          src: HSRP_VMAC,
          etherType: 0x0806,
          payload: f.arp({ op: 2, senderMac: HSRP_VMAC, senderIp: '10.100.100.65', targetMac: ROUTER, targetIp: '10.100.100.75' }),
        }),
      ),
    },
    { data: arpWhoHas(BROADCAST, V956) },
    {
      data: pad60(
        f.ethernet({
          dst: BROADCAST,
          src: ROUTER,
          etherType: 0x8035,
          payload: f.arp({ op: 3, senderMac: ROUTER, senderIp: '0.0.0.0', targetMac: ROUTER, targetIp: '0.0.0.0' }),
        }),
      ),
    },
    // QinQ: 802.1ad S-VID 200 + C-VID 2001 (ARP, TCP), 802.1Q in 802.1Q (100, 200), 0x9100 over 956, three tags.
    {
      data: arpWhoHas(BROADCAST, [
        { tpid: 0x88a8, id: 200 },
        { tpid: 0x8100, id: 2001 },
      ]),
    },
    {
      data: eth4(
        { src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcpSeg(40000, 80, 'S') },
        {
          vlans: [
            { tpid: 0x88a8, id: 200 },
            { tpid: 0x8100, id: 2001 },
          ],
        },
      ),
    },
    {
      data: eth4(
        { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: f.udp({ sport: 40001, dport: 53, payload: bytes(24, 6) }) },
        {
          vlans: [
            { tpid: 0x8100, id: 100 },
            { tpid: 0x8100, id: 200 },
          ],
        },
      ),
    },
    {
      data: eth4(
        { src: '10.0.0.3', dst: '10.0.0.4', proto: 1, payload: f.icmp({ type: 8, code: 0, id: 9, seq: 2 }) },
        {
          vlans: [
            { tpid: 0x9100, id: 300 },
            { tpid: 0x8100, id: 956 },
          ],
        },
      ),
    },
    {
      data: eth4(
        { src: '10.0.0.5', dst: '10.0.0.6', proto: 17, payload: f.udp({ sport: 123, dport: 123, payload: bytes(48, 8) }) },
        {
          vlans: [
            { tpid: 0x88a8, id: 10 },
            { tpid: 0x8100, id: 20 },
            { tpid: 0x8100, id: 30 },
          ],
        },
      ),
    },
    {
      data: pad60(
        eth4(
          { src: '10.0.0.7', dst: '10.0.0.8', proto: 17, payload: f.udp({ sport: 5004, dport: 5004, payload: bytes(12, 9) }) },
          { vlans: [{ tpid: 0x8100, id: 0, pcp: 5 }] },
        ),
      ),
    },
    // IPv6: TCP, UDP/DNS, ICMPv6 echo and neighbour solicitation, a hop-by-hop header, a fragment, on VLAN 956.
    { data: eth6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 6, payload: tcpSeg(50000, 80, 'S') }) },
    { data: eth6({ src: '2001:db8::2', dst: '2001:db8::53', nextHeader: 17, payload: f.udp({ sport: 40002, dport: 53, payload: bytes(30, 10) }) }) },
    {
      data: eth6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 58, payload: f.icmpv6({ type: 128, code: 0, id: 1, seq: 1, payload: bytes(16, 11) }) }),
    },
    {
      data: eth6(
        {
          src: 'fe80::1',
          dst: 'ff02::1:ff00:2',
          nextHeader: 58,
          hopLimit: 255,
          payload: f.icmpv6({ type: 135, code: 0, payload: f.concat(f.ipv6Addr('2001:db8::2'), Uint8Array.of(1, 1), f.mac(ROUTER)) }),
        },
        { dst: '33:33:ff:00:00:02' },
      ),
    },
    {
      data: eth6(
        {
          src: 'fe80::1',
          dst: 'ff02::16',
          nextHeader: 17,
          hopLimit: 1,
          extHeaders: [{ type: 0, data: Uint8Array.of(5, 2, 0, 0, 1, 0) }],
          payload: f.udp({ sport: 5000, dport: 5000, payload: bytes(8, 12) }),
        },
        { dst: '33:33:00:00:00:16' },
      ),
    },
    {
      data: eth6({
        src: '2001:db8::2',
        dst: '2001:db8::53',
        nextHeader: 17,
        extHeaders: [{ type: 44, data: f.concat(f.u16(1), f.u32(0xabcd)) }],
        payload: f.udp({ sport: 40003, dport: 53, payload: bytes(40, 13) }),
      }),
    },
    { data: eth6({ src: '2001:db8::9', dst: '2001:db8::10', nextHeader: 6, payload: tcpSeg(51010, 9090, 'PA', bytes(20, 14)) }, { vlans: V956 }) },
    // IPv4 fragments of one UDP datagram: the first (MF), then one at offset 1480 whose data
    // starts like a UDP header to port 53, and 0x1234 where udp[8:2] would read.
    { data: eth4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: 0x4242, payload: udpFragment.subarray(0, 1480) }, { fragment: 0x2000 }) },
    {
      data: eth4(
        { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: 0x4242, payload: f.concat(f.u16(53), f.u16(53), f.u16(0), f.u16(0), f.u16(0x1234), bytes(30, 15)) },
        { fragment: 185 },
      ),
    },
    // Don't-fragment TCP; IP options (router alert) on IGMP and on a SYN/ACK, so tcp[13] must skip them.
    { data: eth4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcpSeg(443, 40004, 'PA', bytes(200, 16)) }, { fragment: 0x4000 }) },
    {
      data: pad60(
        eth4(
          { src: '10.100.100.75', dst: '239.1.1.1', proto: 2, ttl: 1, options: Uint8Array.of(0x94, 4, 0, 0), payload: igmpReport },
          { dst: '01:00:5e:01:01:01' },
        ),
      ),
    },
    { data: eth4({ src: '10.0.0.2', dst: '10.0.0.1', proto: 6, options: Uint8Array.of(0x94, 4, 0, 0), payload: tcpSeg(80, 40000, 'SA') }) },
    // Every TCP flag, SCTP, GRE carrying IPv4.
    { data: eth4({ src: '10.0.0.9', dst: '10.0.0.10', proto: 6, payload: tcpSeg(1025, 2048, 'FSRPAUEC') }) },
    { data: eth4({ src: '10.0.0.5', dst: '10.0.0.6', proto: 132, payload: sctpInit }) },
    { data: eth4({ src: '192.168.0.2', dst: '192.168.0.3', proto: 47, payload: gre }) },
    // UDP: 0x1234 at udp[8:2] between ports 1000 and 2000, HSRP 1985 -> 1985, NTP, DNS, DHCP broadcast, a subnet broadcast.
    {
      data: pad60(
        eth4({ src: '10.0.0.7', dst: '10.0.0.8', proto: 17, payload: f.udp({ sport: 1000, dport: 2000, payload: f.concat(f.u16(0x1234), bytes(10, 17)) }) }),
      ),
    },
    {
      data: pad60(
        eth4(
          {
            src: '192.168.0.2',
            dst: '224.0.0.2',
            proto: 17,
            ttl: 1,
            payload: f.udp({
              sport: 1985,
              dport: 1985,
              payload: f.hsrpV1({ opcode: 0, state: 16, hellotime: 3, holdtime: 10, priority: 110, group: 1, virtualIp: '192.168.0.1' }),
            }),
          },
          { src: HSRP_VMAC, dst: '01:00:5e:00:00:02' },
        ),
      ),
    },
    { data: eth4({ src: '10.100.100.75', dst: '10.0.0.123', proto: 17, payload: f.udp({ sport: 40005, dport: 123, payload: bytes(48, 18) }) }) },
    { data: eth4({ src: '10.100.100.75', dst: '10.0.0.53', proto: 17, payload: f.udp({ sport: 40006, dport: 53, payload: bytes(33, 19) }) }) },
    {
      data: eth4({ src: '0.0.0.0', dst: '255.255.255.255', proto: 17, payload: f.udp({ sport: 68, dport: 67, payload: bytes(300, 20) }) }, { dst: BROADCAST }),
    },
    {
      data: eth4(
        { src: '10.100.100.75', dst: '10.100.100.255', proto: 17, payload: f.udp({ sport: 137, dport: 137, payload: bytes(50, 21) }) },
        { dst: BROADCAST },
      ),
    },
    { data: pad60(eth4({ src: '10.0.0.1', dst: '10.0.0.1', proto: 17, payload: f.udp({ sport: 7, dport: 7, payload: bytes(4, 25) }) })) },
    // TCP: from 10.0.0.1 port 443, SSH from the router, a large segment, HTTP on 80.
    { data: eth4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcpSeg(443, 40007, 'A') }) },
    { data: eth4({ src: '10.100.100.75', dst: '10.0.0.22', proto: 6, payload: tcpSeg(40008, 22, 'PA', bytes(48, 22)) }) },
    { data: bigPush },
    { data: eth4({ src: '10.0.0.2', dst: '10.0.0.1', proto: 6, payload: tcpSeg(40009, 80, 'PA', f.ascii('GET / HTTP/1.1\r\n\r\n')) }) },
    // Layer 2: LACPDU, STP (untagged and VLAN 1), a SNAP frame, LLDP.
    {
      data: f.ethernet({
        dst: '01:80:c2:00:00:02',
        src: '00:13:c4:12:0f:00',
        etherType: 0x8809,
        payload: f.lacpdu({
          actor: { systemPriority: 32768, system: '00:13:c4:12:0f:00', key: 13, portPriority: 32768, port: 9, state: 0x47 },
          partner: { systemPriority: 0, system: '00:00:00:00:00:00', key: 0, portPriority: 0, port: 0, state: 0x02 },
          collectorMaxDelay: 0,
        }),
      }),
    },
    { data: llcFrame('01:80:c2:00:00:00', '00:13:c4:12:0f:01', bpdu) },
    { data: llcFrame('01:00:0c:cc:cc:cd', '00:13:c4:12:0f:01', bpdu, [{ tpid: 0x8100, id: 1 }]) },
    { data: llcFrame('01:00:0c:cc:cc:cc', '00:13:c4:12:0f:01', f.concat(Uint8Array.of(0xaa, 0xaa, 0x03, 0, 0, 0x0c), f.u16(0x2000), bytes(30, 23))) },
    { data: pad60(f.ethernet({ dst: '01:80:c2:00:00:0e', src: '00:13:c4:12:0f:01', etherType: 0x88cc, payload: bytes(30, 24) })) },
    // Truncated records: a SYN cut inside the TCP header (loads past the end abort the filter),
    // a large segment cut at 100 bytes (len is the length on the wire), an IPv4 header cut short.
    { data: truncatedSyn.subarray(0, 50), origLen: truncatedSyn.length },
    { data: bigPush.subarray(0, 100), origLen: bigPush.length },
    { data: f.ethernet({ dst: PEER, src: ROUTER, etherType: 0x0800, payload: Uint8Array.of(0x45, 0, 0, 40, 0, 0) }), origLen: 54 },
  ];
}

function writeStoryCapture(dir: string): string {
  const records: PcapRecord[] = storyFrames().map((r, i) => {
    const us = 447_649 + i * 123_457;
    // 2017-12-05 14:12:45.447649 UTC onwards
    return { tsSec: 1_512_483_165 + Math.floor(us / 1e6), tsFrac: us % 1e6, data: r.data, origLen: r.origLen };
  });
  const file = path.join(dir, 'field-story-1.pcap');
  writeFileSync(file, writePcap({ endian: 'le', resolution: 'us', linkType: 1, snaplen: 65535, records }));
  return file;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'filter-parity-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// ---- the captures ----------------------------------------------------------------------

const REAL_CAPTURES = [
  'vlan-collisions.pcap',
  '802.1ad_QinQ.pcap',
  'q-in-q.pcap',
  'vlan-qinqinq.pcap',
  'icmp_dot1q.pcap',
  'VlanPackets.pcap',
  'mixed-vlan-mpls.pcap',
  'vrrp.pcap',
  'HSRP_election.pcap',
  'LACP.pcap',
  'arp-oobr.pcap',
  'eapon1.pcap',
  'nmap-vsn.pcap',
  'pptp.pcap',
  'modbusBig.pcap',
  // Beyond the list: CARP (IP protocol 112, `vrrp`), PVST+ BPDUs on VLAN 1 (`stp`), 802.1ad over
  // ARP, QinQ with a 0x8100 outer tag and PCP/DEI bits (pcapng), HSRPv2 over IPv6, HTTP payloads.
  'carp.pcap',
  'rpvstp-trunk-native-vid5.pcap',
  'arp-too-long-tha.pcap',
  '802-1q-tunneling-icmp.pcapng',
  'vlan-pcp-dei.pcapng',
  'hsrp-v2-ipv6-hello.pcapng',
  'docker-http-upgrade.pcap',
  // Linux cooked (tcpdump -i any): no MACs to filter on, no VLAN tags; tcpdump refuses those primitives.
  'linuxsll-arp.pcap',
  'tcp-handshake-nano.pcap',
];

interface CaptureCase {
  name: string;
  file: () => string;
  skip: string | false;
  generated?: true;
}

const sharedDir = sharedCapturesDir();
const CAPTURES: CaptureCase[] = [
  { name: 'field-story-1.pcap (generated)', file: () => writeStoryCapture(tmp), skip: false, generated: true },
  ...REAL_CAPTURES.map((name): CaptureCase => ({ name, file: () => path.join(sharedDir!, name), skip: sharedSkipReason })),
];

// ---- tcpdump's verdicts ----------------------------------------------------------------

type Verdict = { rejected: true; reason: string } | { rejected: false; frames: number[] };

const REJECTED = 'tcpdump rejected expression ';

/** tcpdumpFrames throws `tcpdump rejected expression EXPR: STDERR` when tcpdump refuses the filter. */
async function tcpdumpVerdict(file: string, expression: string): Promise<Verdict> {
  try {
    return { rejected: false, frames: (await tcpdumpFrames(file, expression)).frames };
  } catch (error) {
    const message = (error as Error).message;
    if (!message.startsWith(REJECTED)) throw error;
    const reason = message
      .split('\n')
      .filter((line) => line.startsWith('tcpdump:'))
      .join('; ');
    return { rejected: true, reason: reason || message };
  }
}

/** Maps items through fn with at most `limit` calls under way; results in input order. */
async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---- our engine --------------------------------------------------------------------------

type CompiledFilter = ReturnType<typeof compileFilter>;
type Compiled = { ok: true; filter: CompiledFilter } | { ok: false; error: unknown };

const compiledCache = new Map<string, Compiled>();

/** Each expression is compiled once, whatever the number of captures. */
function compiled(expression: string): Compiled {
  let entry = compiledCache.get(expression);
  if (!entry) {
    try {
      entry = { ok: true, filter: compileFilter(expression) };
    } catch (error) {
      entry = { ok: false, error };
    }
    compiledCache.set(expression, entry);
  }
  return entry;
}

/** As the viewer and the CLI do: the expression, then what the capture's link types allow. */
function compiledFor(expression: string, linkTypes: number[]): Compiled {
  const entry = compiled(expression);
  if (!entry.ok) return entry;
  try {
    checkLinkTypes(entry.filter, linkTypes);
    return entry;
  } catch (error) {
    return { ok: false, error };
  }
}

/** A short account of how two ascending frame lists differ (a full diff of thousands of frames helps nobody). */
function describeDifference(expected: readonly number[], actual: readonly number[]): string {
  const want = new Set(expected);
  const got = new Set(actual);
  const missing = expected.filter((n) => !got.has(n));
  const extra = actual.filter((n) => !want.has(n));
  const list = (ns: number[]) => (ns.length > 12 ? `${ns.slice(0, 12).join(', ')}, ... (${ns.length})` : ns.join(', ') || 'none');
  return `tcpdump matches ${expected.length} frames, we match ${actual.length}; only tcpdump: ${list(missing)}; only ours: ${list(extra)}`;
}

// ---- the tests ---------------------------------------------------------------------------

const EXPECTED_REJECTIONS = new Set([...INVALID_FILTER_CASES, ...ALWAYS_FALSE_CASES]);

test('the case list: at least 100 distinct expressions, the rejected ones among them', () => {
  assert.equal(new Set(FILTER_CASES).size, FILTER_CASES.length, 'duplicate expressions in FILTER_CASES');
  assert.ok(FILTER_CASES.length >= 100, `${FILTER_CASES.length} cases`);
  for (const expression of EXPECTED_REJECTIONS) assert.ok(FILTER_CASES.includes(expression), expression);
});

let storyVerdicts: Verdict[] | undefined;

for (const capture of CAPTURES) {
  test(`filter parity with tcpdump: ${capture.name}`, { skip: capture.skip }, async (t) => {
    const file = capture.file();
    const all = await tcpdumpFrames(file);
    // tcpdumpFrames can only tell a rejected expression from a damaged file when tcpdump reads the whole file cleanly.
    assert.equal(all.status, 0, `tcpdump reads ${capture.name} with an error: ${all.stderr.trim()}`);

    const started = performance.now();
    const verdicts = await mapPool(FILTER_CASES, TCPDUMP_CONCURRENCY, (expression) => tcpdumpVerdict(file, expression));
    const tcpdumpMs = performance.now() - started;
    if (capture.generated) storyVerdicts = verdicts;

    const source = await nodeFileSource(file);
    let rejections = 0;
    let agreed = 0;
    try {
      const { capture: ingested } = await ingest(source);
      assert.equal(ingested.store.length, all.frames.length, `packet count: tcpdump reads ${all.frames.length}`);
      for (const [i, expression] of FILTER_CASES.entries()) {
        const verdict = verdicts[i];
        await t.test(expression, async () => {
          const ours = compiledFor(
            expression,
            ingested.interfaces.map((i) => i.linkType),
          );
          if (verdict.rejected) {
            assert.ok(!ours.ok, `tcpdump rejects it (${verdict.reason}) but compileFilter accepted it`);
            assert.ok(
              ours.error instanceof FilterSyntaxError,
              `tcpdump rejects it (${verdict.reason}); compileFilter threw ${String(ours.error)}, not a FilterSyntaxError`,
            );
            const { position } = ours.error;
            assert.ok(
              Number.isInteger(position) && position >= -1 && position <= expression.length,
              `FilterSyntaxError position ${position} outside the expression`,
            );
            agreed++;
            return;
          }
          if (!ours.ok) throw new Error(`tcpdump accepts it, compileFilter threw: ${String(ours.error)}`, { cause: ours.error });
          // Both paths: flow answers with bytes where they cannot decide, and bytes alone.
          for (const useFlows of [true, false]) {
            const rows = await matchingRows(ingested, source, ours.filter, { useFlows });
            const frames = Array.from(rows, (row) => row + 1);
            if (frames.length !== verdict.frames.length || frames.some((n, k) => n !== verdict.frames[k])) {
              assert.fail(`${useFlows ? 'flow answers' : 'bytes only'}: ${describeDifference(verdict.frames, frames)}`);
            }
          }
          agreed++;
        });
        if (verdict.rejected) rejections++;
      }
    } finally {
      await source.close?.();
    }
    console.log(
      `${capture.name}: ${all.frames.length} packets, ${FILTER_CASES.length} cases compared ` +
        `(${FILTER_CASES.length - rejections} frame lists, ${rejections} rejections), ${agreed} agree; tcpdump ${(tcpdumpMs / 1000).toFixed(1)} s`,
    );
  });
}

test('tcpdump rejects exactly the expressions filter-cases.ts says it rejects', () => {
  assert.ok(storyVerdicts, 'the generated capture did not get its tcpdump verdicts');
  const rejected = FILTER_CASES.filter((_, i) => storyVerdicts![i].rejected);
  assert.deepEqual(
    rejected,
    FILTER_CASES.filter((expression) => EXPECTED_REJECTIONS.has(expression)),
  );
});
