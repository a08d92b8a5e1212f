/// <reference lib="webworker" />
/**
 * The benchmark's floor, on a thread of its own as the ingest reads: how long the browser
 * takes only to read a File's bytes in slices, no parsing. Bench page only; the app never
 * loads it.
 */
export interface ReadOnlyRequest {
  file: File;
  chunkBytes: number;
}

addEventListener('message', async (event: MessageEvent<ReadOnlyRequest>) => {
  const { file, chunkBytes } = event.data;
  const started = performance.now();
  // The next slice is asked for before this one is counted, as the ingest's reader does.
  let next = file.slice(0, chunkBytes).arrayBuffer();
  for (let offset = 0; offset < file.size; ) {
    const chunk = await next;
    offset += chunk.byteLength;
    if (offset < file.size) next = file.slice(offset, offset + chunkBytes).arrayBuffer();
  }
  postMessage(performance.now() - started);
});
