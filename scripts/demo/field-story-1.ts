// Field story 1, "The bond that went down" (../shared/docs/field-stories.md), replayed
// as a capture on the Vyatta router's dp0bond0 merged with the LACP traffic of its
// member NIC: the demo the viewer opens on a first visit, and the capture from which
// the findings must reproduce the story's table.
//
// Times are the story's, local to the site (UTC+9); the pcap holds them in UTC.
//
//   14:12:45      calm: VRRPv2 adverts each second, TCP keep-alives on VLAN 956, a ping,
//                 LACPDUs both ways in sync (0x3d), HSRPv2 hellos every 3 s
//   14:12:51.447649  the keep-alive ACK the router forwards starts repeating, byte for byte:
//                 930,000 copies by 14:12:53.955593 (runs 1 µs apart, short pauses)
//   14:12:53.955594  unicast ARP for 10.100.100.65 to 00:00:0c:9f:f0:01 joins it, one per
//                 three ACKs; never answered. The router's VRRP and LACPDUs are not seen again.
//   then          the storm as the capture kept it: a 60 ms burst every 6.5 s (see stormWindows);
//                 frames between the kept bursts were dropped, the HSRP hellos among them
//   14:13:17.763339  the same ARP also goes out broadcast, in the burst
//   14:13:32.885370  an HSRPv2 hello (Active) still arrives, in the middle of a burst
//   14:14:17.810749  the switch's LACPDU: Expired (90 s after the router's last LACPDU)
//   14:14:20.811089  the switch's LACPDU: Defaulted, partner 00:00:00:00:00:00 port 0
//   14:14:24.811  last frame
//
// Everything comes from a fixed seed, so the bytes are the same on every run.
import { arp, ethernet, hsrpV2, icmp, ipv4, lacpdu, tcp, udp, vrrpV2, type LacpActorInfo } from '../../kit/frames.ts';
import { SeededRandom } from '../../kit/random.ts';
import { SECOND_US, storyTime, Timeline } from './pcap-timeline.ts';

const SEED = 20171205;

// ---- who is on the wire ------------------------------------------------------------

/** The Vyatta vRouter: dp0bond0 carries the first member's MAC, as Linux bonding does. */
const ROUTER = { mac: '52:54:00:4b:0a:75', ip: '10.100.100.75' };
/** The default gateway: an HSRP group of the upstream Cisco routers, reached through its virtual MAC. */
const GATEWAY = { mac: '00:00:0c:9f:f0:01', ip: '10.100.100.65' };
/** The active HSRP router upstream; its hellos prove that the bond still receives. */
const UPSTREAM = { ip: '203.0.113.171', ifMac: '00:2a:6a:c3:5e:41' };
/** The Nexus pair the bond is cabled to (vPC: one system MAC, port numbers above 0x8000). */
const SWITCH = { portMac: '00:2a:6a:b4:71:9c', system: '00:23:04:ee:be:64' };
/** The SQL Server on VLAN 956, and its client, which the router reaches through another interface. */
const SQL_SERVER = { mac: '00:50:56:9a:3c:17', ip: '10.100.200.143', port: 1434 };
const SQL_CLIENT = { ip: '172.20.18.40', port: 50412 };
const SERVER_VLAN = 956;

const VRRP = { vrid: 100, priority: 200, virtualIp: '10.100.100.74', mac: '00:00:5e:00:01:64' };
const HSRP = { group: 1, priority: 110, helloMs: 3000, holdMs: 10000 };

const ETH_IPV4 = 0x0800;
const ETH_ARP = 0x0806;
const ETH_SLOW_PROTOCOLS = 0x8809;
const LACP_MULTICAST = '01:80:c2:00:00:02';
const IP_TCP = 6;
const IP_UDP = 17;
const IP_ICMP = 1;
const IP_VRRP = 112;

// ---- the story's table: the times every finding must reproduce ------------------------

export const STORY = {
  start: storyTime('14:12:45'),
  stormStart: storyTime('14:12:51.447649'),
  firstUnicastArp: storyTime('14:12:53.955594'),
  firstBroadcastArp: storyTime('14:13:17.763339'),
  hsrpStillArrives: storyTime('14:13:32.885370'),
  lacpExpired: storyTime('14:14:17.810749'),
  lacpDefaulted: storyTime('14:14:20.811089'),
  end: storyTime('14:14:25'),
};

/** 930,000 copies in 2.5 s: ~372,000 frames/s. */
const STORM_FIRST_BURST_COPIES = 930_000;

// ---- frame helpers -------------------------------------------------------------------

function vlan956(o: { dst: string; src: string; payload: Uint8Array; padTo?: number }): Uint8Array {
  return ethernet({ ...o, vlans: [{ tpid: 0x8100, id: SERVER_VLAN }], etherType: ETH_IPV4 });
}

// ---- the SQL connection whose keep-alive ACK gets stuck --------------------------------

/**
 * The server's TCP keep-alives (every 5 s on this idle connection) come in on VLAN 956; the
 * client's ACK comes back through the router's other interface and is forwarded onto VLAN
 * 956, so on the bond the ACK is a frame the router transmits. Sequence numbers never move:
 * the connection is idle, which is exactly what keep-alives are for.
 */
class SqlConnection {
  private readonly serverNext: number;
  private readonly clientNext: number;

  constructor(private readonly rng: SeededRandom) {
    this.serverNext = rng.range(0, 0xffffffff);
    this.clientNext = rng.range(0, 0xffffffff);
  }

  /** Windows sends one garbage byte at seq = next - 1, so the peer must answer with an ACK. */
  keepAlive(): Uint8Array {
    const segment = tcp({
      sport: SQL_SERVER.port,
      dport: SQL_CLIENT.port,
      seq: (this.serverNext - 1) >>> 0,
      ack: this.clientNext,
      flags: 'A',
      window: 2052,
      payload: Uint8Array.of(0),
    });
    // Both ends' TCP stacks set Don't Fragment.
    const ip = ipv4({ src: SQL_SERVER.ip, dst: SQL_CLIENT.ip, proto: IP_TCP, ttl: 128, id: this.rng.range(0, 0xffff), df: true, payload: segment });
    // Received from the wire: padded to 60 bytes (64 with the FCS, which captures omit).
    return vlan956({ dst: ROUTER.mac, src: SQL_SERVER.mac, payload: ip, padTo: 60 });
  }

  /** The client's answer, TTL already lowered by the hops and by the router that forwards it. */
  keepAliveAck(): Uint8Array {
    const segment = tcp({
      sport: SQL_CLIENT.port,
      dport: SQL_SERVER.port,
      seq: this.clientNext,
      ack: this.serverNext,
      flags: 'A',
      window: 513,
    });
    const ip = ipv4({ src: SQL_CLIENT.ip, dst: SQL_SERVER.ip, proto: IP_TCP, ttl: 124, id: this.rng.range(0, 0xffff), df: true, payload: segment });
    // Transmitted by the router: captured before the NIC pads it, so 58 bytes.
    return vlan956({ dst: SQL_SERVER.mac, src: ROUTER.mac, payload: ip });
  }
}

// ---- the other protocols -------------------------------------------------------------

function vrrpAdvert(id: number): Uint8Array {
  const advert = vrrpV2({ vrid: VRRP.vrid, priority: VRRP.priority, addresses: [VRRP.virtualIp], advertInt: 1 });
  // RFC 3768: adverts are sent from the virtual router MAC to 224.0.0.18 with TTL 255.
  const ip = ipv4({ src: ROUTER.ip, dst: '224.0.0.18', proto: IP_VRRP, ttl: 255, id, payload: advert });
  return ethernet({ dst: '01:00:5e:00:00:12', src: VRRP.mac, etherType: ETH_IPV4, payload: ip });
}

const HSRP_STATE_ACTIVE = 6;

function hsrpHello(id: number): Uint8Array {
  const hello = hsrpV2({
    opcode: 0,
    state: HSRP_STATE_ACTIVE,
    group: HSRP.group,
    identifier: UPSTREAM.ifMac,
    priority: HSRP.priority,
    hellotime: HSRP.helloMs,
    holdtime: HSRP.holdMs,
    virtualIp: GATEWAY.ip,
    auth: 'cisco',
  });
  // The active router sends hellos from the group's virtual MAC, TTL 1, to 224.0.0.102.
  const ip = ipv4({ src: UPSTREAM.ip, dst: '224.0.0.102', proto: IP_UDP, ttl: 1, id, payload: udp({ sport: 1985, dport: 1985, payload: hello }) });
  return ethernet({ dst: '01:00:5e:00:00:66', src: GATEWAY.mac, etherType: ETH_IPV4, payload: ip });
}

function icmpEcho(type: 0 | 8, seq: number, id: number): Uint8Array {
  // Windows ping: identifier 1, 32 bytes of the alphabet.
  const payload = Uint8Array.from('abcdefghijklmnopqrstuvwabcdefghi', (c) => c.charCodeAt(0));
  const request = type === 8;
  const ip = ipv4({
    src: request ? SQL_CLIENT.ip : SQL_SERVER.ip,
    dst: request ? SQL_SERVER.ip : SQL_CLIENT.ip,
    proto: IP_ICMP,
    ttl: request ? 124 : 128,
    id,
    payload: icmp({ type, code: 0, id: 1, seq, payload }),
  });
  return request ? vlan956({ dst: SQL_SERVER.mac, src: ROUTER.mac, payload: ip }) : vlan956({ dst: ROUTER.mac, src: SQL_SERVER.mac, payload: ip });
}

/** "Who has 10.100.100.65? Tell 10.100.100.75", unicast to the cached MAC or broadcast. */
function arpForGateway(to: 'unicast' | 'broadcast'): Uint8Array {
  const unicast = to === 'unicast';
  const request = arp({
    op: 1,
    senderMac: ROUTER.mac,
    senderIp: ROUTER.ip,
    // Linux puts the cached MAC in the target field of a unicast probe, zeros in a broadcast one.
    targetMac: unicast ? GATEWAY.mac : '00:00:00:00:00:00',
    targetIp: GATEWAY.ip,
  });
  return ethernet({ dst: unicast ? GATEWAY.mac : 'ff:ff:ff:ff:ff:ff', src: ROUTER.mac, etherType: ETH_ARP, payload: request });
}

// ---- LACP ----------------------------------------------------------------------------

/** 802.1AX actor/partner state bits. */
const LACP = {
  activity: 0x01,
  shortTimeout: 0x02,
  aggregation: 0x04,
  sync: 0x08,
  collecting: 0x10,
  distributing: 0x20,
  defaulted: 0x40,
  expired: 0x80,
};
/** 0x3d: a healthy member with long (30 s) timeouts on both sides. */
const IN_BUNDLE = LACP.activity | LACP.aggregation | LACP.sync | LACP.collecting | LACP.distributing;

const ROUTER_PORT: LacpActorInfo = { systemPriority: 65535, system: ROUTER.mac, key: 9, portPriority: 255, port: 9, state: IN_BUNDLE };
const SWITCH_PORT: LacpActorInfo = { systemPriority: 32768, system: SWITCH.system, key: 0x8011, portPriority: 32768, port: 32795, state: IN_BUNDLE };
/** What the switch falls back to in DEFAULTED: nobody, answering fast. */
const NO_PARTNER: LacpActorInfo = { systemPriority: 0, system: '00:00:00:00:00:00', key: 0, portPriority: 0, port: 0, state: LACP.shortTimeout };

function lacpFrame(src: string, actor: LacpActorInfo, partner: LacpActorInfo, collectorMaxDelay: number): Uint8Array {
  return ethernet({ dst: LACP_MULTICAST, src, etherType: ETH_SLOW_PROTOCOLS, payload: lacpdu({ actor, partner, collectorMaxDelay }) });
}

const routerLacpdu = lacpFrame(ROUTER.mac, ROUTER_PORT, SWITCH_PORT, 0);
const switchLacpdu = {
  inSync: lacpFrame(SWITCH.portMac, SWITCH_PORT, ROUTER_PORT, 32768),
  /**
   * 802.1AX EXPIRED: no LACPDU for 3 x 30 s. The switch sets its own Expired bit, drops
   * to ATTACHED (Sync kept, no longer collecting or distributing), and marks the partner
   * out of sync and short-timeout so it asks for fast LACPDUs. Partner identity is kept.
   */
  expired: lacpFrame(
    SWITCH.portMac,
    { ...SWITCH_PORT, state: LACP.activity | LACP.aggregation | LACP.sync | LACP.expired },
    { ...ROUTER_PORT, state: (IN_BUNDLE & ~LACP.sync) | LACP.shortTimeout },
    32768,
  ),
  /** 802.1AX DEFAULTED: 3 s later, still nothing; the partner is forgotten and the port leaves the bundle. */
  defaulted: lacpFrame(SWITCH.portMac, { ...SWITCH_PORT, state: LACP.activity | LACP.aggregation | LACP.defaulted }, NO_PARTNER, 32768),
};

// ---- the schedule --------------------------------------------------------------------

/** Periodic sends with a little jitter, as real timers have; `anchor` is kept exact. */
function periodic(rng: SeededRandom, anchor: number, periodUs: number, jitterUs: number, from: number, to: number): number[] {
  const times: number[] = [];
  for (let t = anchor - Math.floor((anchor - from) / periodUs) * periodUs; t < to; t += periodUs) {
    times.push(t === anchor ? t : t + rng.range(-jitterUs, jitterUs));
  }
  return times.filter((t) => t >= from && t < to);
}

/**
 * The calm before, and what keeps arriving afterwards: everything but the storm.
 * Returns the keep-alive ACK that the TX side then repeats.
 */
function scheduleBackground(line: Timeline, rng: SeededRandom): Uint8Array {
  // VRRP master adverts once a second; the last one leaves before the storm fills the TX ring.
  let vrrpId = rng.range(0, 0xffff);
  for (const t of periodic(rng, storyTime('14:12:45.118264'), SECOND_US, 150, STORY.start, STORY.stormStart)) {
    line.push(t, vrrpAdvert(vrrpId++ & 0xffff));
  }

  // The stuck connection: a keep-alive every 5 s, each answered within a quarter millisecond.
  // The second answer, at the storm's start, is the frame that then repeats (pushed by scheduleStorm).
  const sql = new SqlConnection(rng);
  line.push(storyTime('14:12:46.447389'), sql.keepAlive());
  line.push(storyTime('14:12:46.447637'), sql.keepAliveAck());
  line.push(storyTime('14:12:51.447402'), sql.keepAlive());
  const stuckAck = sql.keepAliveAck();

  // One ping through the router, answered.
  line.push(storyTime('14:12:49.127513'), icmpEcho(8, 4211, rng.range(0, 0xffff)));
  line.push(storyTime('14:12:49.127804'), icmpEcho(0, 4211, rng.range(0, 0xffff)));

  // HSRP hellos every 3 s through the whole capture: RX keeps working.
  let hsrpId = rng.range(0, 0xffff);
  for (const t of periodic(rng, STORY.hsrpStillArrives, 3 * SECOND_US, 2000, STORY.start, STORY.end)) {
    const hello = hsrpHello(hsrpId++ & 0xffff);
    if (keptDuringStorm(t)) line.push(t, hello);
  }

  scheduleLacp(line);
  return stuckAck;
}

function scheduleLacp(line: Timeline): void {
  // Slow periodic (30 s) on both sides. The router's LACPDU at 14:12:47.81 is the last one
  // the switch ever hears: its next, due 14:13:17.81, is lost behind the storm on TX.
  line.push(storyTime('14:12:47.810689'), routerLacpdu);
  for (const t of ['14:12:49.304117', '14:13:19.304390', '14:13:49.304201']) line.push(storyTime(t), switchLacpdu.inSync);
  // 90 s after that last LACPDU (plus ~60 µs of wire and processing) the switch's
  // current_while timer expires; with the partner marked short-timeout it sends every second.
  line.push(STORY.lacpExpired, switchLacpdu.expired);
  for (const t of ['14:14:18.810912', '14:14:19.810987']) line.push(storyTime(t), switchLacpdu.expired);
  // 3 s (the short timeout) later: DEFAULTED, partner 00:00:00:00:00:00 port 0, bond down.
  line.push(STORY.lacpDefaulted, switchLacpdu.defaulted);
  for (const t of ['14:14:21.811160', '14:14:22.811244', '14:14:23.811301', '14:14:24.811372']) {
    line.push(storyTime(t), switchLacpdu.defaulted);
  }
}

// ---- the storm -----------------------------------------------------------------------

/**
 * A stretch of the storm: `count` frames from `from` to `to` (inclusive), cycling
 * through `cycle`. The duplicating TX path sends runs of back-to-back copies 1 µs apart;
 * the pauses between runs are what makes 930,000 copies take 2.5 s.
 */
interface StormStretch {
  from: number;
  to: number;
  count: number;
  cycle: Uint8Array[];
}

/** Runs of 1 µs spacing (a few hundred copies, a TX ring's worth), pauses spread evenly with jitter. */
function stretchTimes(rng: SeededRandom, s: StormStretch): Float64Array {
  const runLengths: number[] = [];
  for (let left = s.count; left > 0; left -= runLengths[runLengths.length - 1]) {
    runLengths.push(Math.min(left, rng.range(384, 640)));
  }
  const pauses = runLengths.length - 1;
  // The time not spent on 1 µs steps, shared out between the pauses.
  const slack = s.to - s.from - (s.count - 1);
  if (slack < 0 || (pauses === 0 && slack > 0)) throw new Error(`${s.count} frames cannot span ${s.from}..${s.to} in runs`);
  const share = slack / Math.max(pauses, 1);
  const times = new Float64Array(s.count);
  let t = s.from;
  let i = 0;
  let used = 0;
  runLengths.forEach((run, r) => {
    if (r > 0) {
      // Slack used up by the end of this pause: an even share per pause plus up to 90% of a
      // share of jitter; never less than before, and all of it at the last pause, so the
      // last frame lands exactly on `to`.
      const target = r === pauses ? slack : Math.max(used, Math.floor(share * r + rng.float() * share * 0.9));
      t += 1 + target - used;
      used = target;
    }
    for (let k = 0; k < run; k++, i++) times[i] = k === 0 ? t : ++t;
  });
  return times;
}

function pushStretch(line: Timeline, rng: SeededRandom, s: StormStretch): void {
  const times = stretchTimes(rng, s);
  for (let i = 0; i < times.length; i++) line.push(times[i], s.cycle[i % s.cycle.length]);
}

/** One burst the capture kept, and which frames the router was cycling through then. */
interface StormWindow {
  from: number;
  to: number;
  arps: 'none' | 'unicast' | 'both';
}

/** Burst spacing: the capture kept 60 ms of the storm every 6.5 s. */
const KEPT_EVERY_US = 6_500_000;
const KEPT_US = 60_000;

/**
 * When the storm was captured: the first 2.5 s as the story counts it, then (the capture
 * could not keep up with ~372,000 frames/s, as tcpdump's buffer fills and drops) a 60 ms
 * burst every 6.5 s. One burst spans the switch to broadcast ARP; one, at 14:13:32.85, the
 * HSRP hello the story names; the dropped stretches drop every other frame too.
 */
function stormWindows(): StormWindow[] {
  const windows: StormWindow[] = [
    { from: STORY.stormStart, to: STORY.firstUnicastArp - 1, arps: 'none' },
    { from: STORY.firstUnicastArp, to: storyTime('14:12:54.400000'), arps: 'unicast' },
  ];
  const anchor = storyTime('14:13:32.850000');
  const firstKept = anchor - Math.floor((anchor - storyTime('14:12:57')) / KEPT_EVERY_US) * KEPT_EVERY_US;
  for (let t = firstKept; t < STORY.end; t += KEPT_EVERY_US) {
    if (Math.abs(t - STORY.firstBroadcastArp) < KEPT_EVERY_US / 2) {
      // A longer burst around the switch, so the change of pattern is seen in one piece.
      windows.push({ from: storyTime('14:13:17.700000'), to: STORY.firstBroadcastArp - 1, arps: 'unicast' });
      windows.push({ from: STORY.firstBroadcastArp, to: storyTime('14:13:17.860000'), arps: 'both' });
    } else {
      windows.push({ from: t, to: t + KEPT_US, arps: t < STORY.firstBroadcastArp ? 'unicast' : 'both' });
    }
  }
  return windows;
}

/** Frames of the background the capture kept: all before the storm, then only inside its kept bursts. */
function keptDuringStorm(t: number): boolean {
  return t < STORY.stormStart || stormWindows().some((w) => t >= w.from && t <= w.to);
}

function stormPlan(ack: Uint8Array): StormStretch[] {
  const arpUnicast = arpForGateway('unicast');
  const arpBroadcast = arpForGateway('broadcast');
  const cycles = {
    none: [ack],
    unicast: [arpUnicast, ack, ack, ack],
    both: [arpBroadcast, ack, ack, ack, arpUnicast, ack, ack, ack],
  };
  const meanSpacingUs = 2.5e6 / STORM_FIRST_BURST_COPIES;
  return stormWindows().map((w, i) => ({
    from: w.from,
    to: w.to,
    // The keep-alive ACK alone, 930,000 times; its last copy 1 µs before the first ARP.
    count: i === 0 ? STORM_FIRST_BURST_COPIES : Math.floor((w.to - w.from) / meanSpacingUs) + 1,
    cycle: cycles[w.arps],
  }));
}

function scheduleStorm(line: Timeline, rng: SeededRandom, stuckAck: Uint8Array): void {
  for (const stretch of stormPlan(stuckAck)) pushStretch(line, rng, stretch);
}

/** The whole capture, as a time-ordered timeline ready for writePcap. */
export function fieldStory1(): Timeline {
  const rng = new SeededRandom(SEED);
  const line = new Timeline();
  const stuckAck = scheduleBackground(line, rng);
  scheduleStorm(line, rng, stuckAck);
  return line;
}
