/**
 * The content key that recognises one packet at several capture points (field story 3: the
 * same ping before and after SNAT, one hop apart). Built with the test frame writer, whose
 * checksums tshark verifies in capture-writer.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packetKey } from '../src/analysis/packet-key.ts';
import * as f from '../kit/frames.ts';

const ping = (src: string, ttl: number, srcMac: string, seq = 7) =>
  f.ethernet({
    dst: '00:00:5e:00:01:01',
    src: srcMac,
    etherType: 0x0800,
    payload: f.ipv4({ src, dst: '1.2.3.4', proto: 1, ttl, id: 4242, payload: f.icmp({ type: 8, code: 0, id: 1, seq, payload: f.ascii('abcdefgh') }) }),
  });
const syn = (src: string, sport: number, ttl: number) =>
  f.ethernet({
    dst: '00:00:5e:00:01:01',
    src: '52:54:00:00:00:01',
    etherType: 0x0800,
    payload: f.ipv4({ src, dst: '1.2.3.4', proto: 6, ttl, id: 99, payload: f.tcp({ sport, dport: 443, seq: 1000, ack: 0, flags: 'S', window: 64240 }) }),
  });

test('one hop later (TTL, checksum, MACs changed) the key is the same; another packet differs', () => {
  assert.equal(packetKey(ping('10.0.2.24', 64, '52:54:00:00:00:01'), 1), packetKey(ping('10.0.2.24', 63, 'fa:16:3e:00:00:02'), 1));
  assert.notEqual(packetKey(ping('10.0.2.24', 64, '52:54:00:00:00:01'), 1), packetKey(ping('10.0.2.24', 64, '52:54:00:00:00:01', 8), 1));
});

test('through SNAT the addresses differ: the same only when addresses are left out', () => {
  const before = ping('10.0.2.24', 64, '52:54:00:00:00:01');
  const after = ping('203.0.113.30', 63, 'fa:16:3e:00:00:02');
  assert.notEqual(packetKey(before, 1), packetKey(after, 1));
  assert.equal(packetKey(before, 1, true), packetKey(after, 1, true));
  // With ports rewritten too (PAT), TCP still matches on what NAT leaves alone.
  assert.equal(packetKey(syn('10.0.2.24', 40000, 64), 1, true), packetKey(syn('203.0.113.30', 61000, 63), 1, true));
});
