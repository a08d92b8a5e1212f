/**
 * TCP analysis done at ingest (keep-alive, keep-alive ACK, retransmission, dup ACK, and the
 * base of the relative sequence numbers), frame by frame against tshark's tcp.analysis.*.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeFileSource } from '../src/capture/node-file-source.ts';
import { decodeFrame } from '../src/decode/frame.ts';
import { FrameFields } from '../src/decode/frame-fields.ts';
import { ingest } from '../src/store/capture.ts';
import { FLAG_TCP_SHIFT } from '../src/store/packet-store.ts';
import { TCP_DUP_ACK, TCP_KEEP_ALIVE, TCP_KEEP_ALIVE_ACK, TCP_RETRANSMISSION } from '../src/store/tcp-analysis.ts';
import { sharedCapturesDir, sharedSkipReason, tsharkFields } from './support/oracle.ts';

const FILES = [
  'smb_v2_only_non_zero_reserved1.pcap',
  'docker-http-upgrade.pcap',
  'modbus-and-non-modbus-p502.pcap',
  'vlan-collisions.pcap',
  'cwd-navigation.pcap',
  'tcp-handshake-nano.pcap',
  'modbusBig.pcap',
];
const FIELDS = [
  'tcp.seq',
  'tcp.ack',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.retransmission',
  'tcp.analysis.duplicate_ack',
  'tcp.flags.ack',
];

for (const name of FILES) {
  test(`TCP analysis of ${name} agrees with tshark`, { skip: sharedSkipReason }, async () => {
    const path = join(sharedCapturesDir()!, name);
    const oracle = await tsharkFields(path, FIELDS);
    const source = await nodeFileSource(path);
    const { capture } = await ingest(source);
    const f = new FrameFields();
    let tcpPackets = 0;
    for (let i = 0; i < capture.store.length; i++) {
      const [seq, ack, keepAlive, keepAliveAck, retransmission, dupAck, ackFlag] = oracle.rows[i];
      if (seq === '' || seq.includes(',')) continue;
      tcpPackets++;
      const where = `${name} frame ${i + 1}`;
      const flags = capture.store.flags[i] >> FLAG_TCP_SHIFT;
      assert.equal(Boolean(flags & TCP_KEEP_ALIVE), keepAlive !== '', `${where} keep-alive`);
      assert.equal(Boolean(flags & TCP_KEEP_ALIVE_ACK), keepAliveAck !== '', `${where} keep-alive ACK`);
      assert.equal(Boolean(flags & TCP_RETRANSMISSION), retransmission !== '', `${where} retransmission`);
      assert.equal(Boolean(flags & TCP_DUP_ACK), dupAck !== '', `${where} dup ACK`);
      const bytes = await source.read(capture.store.offset[i], capture.store.capLen[i]);
      decodeFrame(bytes, 0, bytes.length, capture.interfaces[capture.store.iface[i]].linkType, f);
      const dir = capture.tcp.directionOf[capture.store.flow[i]];
      assert.equal((f.tcpSeq - capture.tcp.baseSeq[dir]) >>> 0, Number(seq), `${where} relative Seq`);
      const reverse = capture.tcp.reverse[dir];
      if (ackFlag === '1' && reverse >= 0) assert.equal((f.tcpAck - capture.tcp.baseSeq[reverse]) >>> 0, Number(ack), `${where} relative Ack`);
    }
    await source.close?.();
    assert.ok(tcpPackets > 0, 'the capture has TCP packets');
  });
}
