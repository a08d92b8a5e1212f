// Writes the demo capture the viewer opens on a first visit:
//
//   node --import tsx scripts/demo/generate-demo.ts [OUT_DIR]
//
// OUT_DIR defaults to public/demo. The output is the same bytes on every run
// (test/demo-capture.test.ts checks the shipped file against a fresh build).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipBytes } from '../../kit/gzip.ts';
import { fieldStory1 } from './field-story-1.ts';
import { writePcap } from './pcap-timeline.ts';

export const DEMO_FILE_NAME = 'field-story-1.pcap.gz';
export const DEMO_DIR = fileURLToPath(new URL('../../public/demo/', import.meta.url));

export interface DemoCapture {
  pcap: Uint8Array;
  packets: number;
}

/** The uncompressed capture. */
export function buildDemoCapture(): DemoCapture {
  const line = fieldStory1();
  return { pcap: writePcap(line), packets: line.length };
}

/**
 * gzip with fixed settings and no file name or time in the header, so the same
 * capture always gives the same file. Level 9: the storm is millions of near-identical
 * records and the best level is what keeps the download small.
 */
export function compressDemo(pcap: Uint8Array): Uint8Array {
  return gzipBytes(pcap, { level: 9, memLevel: 9 });
}

export interface WrittenDemo extends DemoCapture {
  file: string;
  gz: Uint8Array;
}

/** Builds the capture and writes it, gzipped, as OUT_DIR/field-story-1.pcap.gz. */
export function writeDemo(outDir: string): WrittenDemo {
  const { pcap, packets } = buildDemoCapture();
  const gz = compressDemo(pcap);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, DEMO_FILE_NAME);
  writeFileSync(file, gz);
  return { file, gz, pcap, packets };
}

function main(): void {
  const started = performance.now();
  const { file, gz, pcap, packets } = writeDemo(path.resolve(process.argv[2] ?? DEMO_DIR));
  const seconds = (performance.now() - started) / 1000;
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  console.log(`${file}: ${mb(gz.length)} gzip (${gz.length} bytes), ${mb(pcap.length)} uncompressed, ${packets} packets, ${seconds.toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
