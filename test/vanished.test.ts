/**
 * Field story 2 as three captures of one path (eth0, br0, eth1): the VM's ARP request is on
 * all three, the gateway's reply on eth0 and br0 only. The merged findings must name the reply
 * as vanished at eth1, at the frame tshark says is the reply; packets seen everywhere are not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Workspace } from '../src/session/workspace.ts';
import { writePcap } from '../kit/pcap-writer.ts';
import * as f from '../kit/frames.ts';
import { tsharkFields } from './support/oracle.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'pt-vanished-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const VM = { mac: '52:54:00:12:34:56', ip: '192.168.1.20' };
const GATEWAY = { mac: '00:1c:73:00:00:01', ip: '192.168.1.1' };

function pointCapture(point: 'eth0' | 'br0' | 'eth1', skew: number): string {
  const request = f.ethernet({
    dst: 'ff:ff:ff:ff:ff:ff',
    src: VM.mac,
    etherType: 0x0806,
    payload: f.arp({ op: 1, senderMac: VM.mac, senderIp: VM.ip, targetMac: '00:00:00:00:00:00', targetIp: GATEWAY.ip }),
  });
  const reply = f.ethernet({
    dst: VM.mac,
    src: GATEWAY.mac,
    etherType: 0x0806,
    payload: f.arp({ op: 2, senderMac: GATEWAY.mac, senderIp: GATEWAY.ip, targetMac: VM.mac, targetIp: VM.ip }),
  });
  const frames = [
    { at: 100, data: request },
    // The vSwitch echoes the request back into the bridge: the bridge learns the VM on the wrong port.
    ...(point === 'eth1' ? [] : [{ at: 180, data: reply }]),
    { at: 1_100, data: request },
  ];
  const file = path.join(tmp, `${point}.pcap`);
  writeFileSync(
    file,
    writePcap({
      endian: 'le',
      resolution: 'us',
      linkType: 1,
      snaplen: 65535,
      records: frames.map((r) => ({ tsSec: 1_600_000_000, tsFrac: r.at + skew, data: r.data })),
    }),
  );
  return file;
}

test('a packet seen at eth0 and br0 but never at eth1 is a vanished finding at its frame', async () => {
  const files = [pointCapture('eth0', 0), pointCapture('br0', 20), pointCapture('eth1', 40)];
  const workspace = new Workspace();
  await workspace.open(
    files.map((p) => new File([readFileSync(p)], path.basename(p))),
    () => {},
  );
  const vanished = (await workspace.findings()).filter((x) => x.kind === 'vanished');
  assert.equal(vanished.length, 1);
  const [v] = vanished;
  assert.equal(v.subject, 'eth1.pcap');
  assert.equal(v.frames, 1);
  // tshark: the finding's frame is the ARP reply in its capture, and eth1 holds no reply at all.
  const [{ rows: inFirst }, { rows: atEth1 }] = await Promise.all([
    tsharkFields(files[v.capture], ['arp.opcode', 'arp.src.proto_ipv4'], ['-Y', `frame.number == ${v.firstRow + 1}`]),
    tsharkFields(files[2], ['frame.number'], ['-Y', 'arp.opcode == 2']),
  ]);
  assert.deepEqual(inFirst, [['2', GATEWAY.ip]]);
  assert.deepEqual(atEth1, []);
});
