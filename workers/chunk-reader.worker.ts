/// <reference lib="webworker" />
/**
 * Reads a File in chunks on a thread of its own. In Chromium a worker busy parsing does not
 * drain its own Blob reads, so reading there would stall between chunks; from here the
 * chunks keep coming while the ingest worker parses. Credits bound how many wait unread.
 */
import type { ChunkAnswer, ChunkRequest } from './chunk-reader-messages.ts';

interface Job {
  id: number;
  file: Blob;
  chunkBytes: number;
  offset: number;
}

let job: Job | null = null;
let credits = 0;
let reading = false;

self.onmessage = (e: MessageEvent<ChunkRequest>) => {
  const m = e.data;
  if (m.type === 'start') {
    job = { id: m.id, file: m.file, chunkBytes: m.chunkBytes, offset: 0 };
    credits = m.credits;
  } else if (m.type === 'credit' && job?.id === m.id) {
    credits++;
  } else if (m.type === 'stop' && job?.id === m.id) {
    job = null;
  }
  pump();
};

function answer(message: ChunkAnswer, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function pump(): Promise<void> {
  while (job && credits > 0 && !reading) {
    const current = job;
    reading = true;
    try {
      const end = Math.min(current.file.size, current.offset + current.chunkBytes);
      const buffer = await current.file.slice(current.offset, end).arrayBuffer();
      current.offset = end;
      credits--;
      answer({ type: 'chunk', id: current.id, buffer, done: end >= current.file.size }, [buffer]);
      if (end >= current.file.size && job === current) job = null;
    } catch (error) {
      answer({ type: 'error', id: current.id, message: (error as Error).message });
      job = null;
    } finally {
      reading = false;
    }
  }
}
