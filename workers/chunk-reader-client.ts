/**
 * The ingest worker's side of chunk-reader.worker.ts: a file's chunks as an async
 * iterable, with a few read ahead.
 */
import type { SequentialReader } from '../src/session/contract.ts';
import type { ChunkAnswer, ChunkRequest } from './chunk-reader-messages.ts';

const READ_AHEAD_CHUNKS = 3;

export function chunkReaderInWorker(): SequentialReader {
  const reader = new Worker(new URL('./chunk-reader.worker.ts', import.meta.url), { type: 'module', name: 'chunk-reader' });
  let nextId = 0;
  const ask = (request: ChunkRequest) => reader.postMessage(request);
  return (file, chunkBytes) => ({
    [Symbol.asyncIterator]() {
      const id = ++nextId;
      const ready: Uint8Array[] = [];
      let finished = false;
      let failure: Error | null = null;
      let wake: (() => void) | null = null;
      const onMessage = (e: MessageEvent<ChunkAnswer>) => {
        const m = e.data;
        if (m.id !== id) return;
        if (m.type === 'chunk') {
          ready.push(new Uint8Array(m.buffer));
          finished = m.done;
        } else {
          failure = new Error(`reading the file failed: ${m.message}`);
        }
        wake?.();
      };
      reader.addEventListener('message', onMessage);
      ask({ type: 'start', id, file, chunkBytes, credits: READ_AHEAD_CHUNKS });
      const stop = () => {
        reader.removeEventListener('message', onMessage);
        ask({ type: 'stop', id });
      };
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          while (ready.length === 0 && !finished && !failure) await new Promise<void>((resolve) => (wake = resolve));
          if (failure) {
            stop();
            throw failure;
          }
          const chunk = ready.shift();
          if (!chunk) {
            stop();
            return { done: true, value: undefined };
          }
          ask({ type: 'credit', id });
          return { done: false, value: chunk };
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          stop();
          return { done: true, value: undefined };
        },
      };
    },
  });
}
