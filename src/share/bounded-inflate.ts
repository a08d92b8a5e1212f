/**
 * Raw deflate (RFC 1951) decompressed with a hard cap on the output: a few hundred KB of
 * input can inflate to gigabytes, so the output is counted chunk by chunk and the stream is
 * cancelled as soon as it passes the cap. The input goes in slices of 1 KiB: deflate expands
 * at most about 1,032 to 1, so no single step can hand back more than about 1 MiB, whatever a
 * browser's DecompressionStream does inside one write.
 */

const SLICE_BYTES = 1024;

export type Inflated = { bytes: Uint8Array } | { tooLarge: true } | { damaged: true };

export async function inflateRawBounded(input: Uint8Array, maxBytes: number): Promise<Inflated> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  // Writes wait on the reader (backpressure); their failures are the reader's to report.
  const feeding = feed(writer, input, () => stopped).catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        stopped = true;
        await reader.cancel().catch(() => {});
        await feeding;
        return { tooLarge: true };
      }
      chunks.push(value);
    }
  } catch {
    stopped = true;
    await feeding;
    return { damaged: true };
  }
  await feeding;
  return { bytes: concat(chunks, total) };
}

async function feed(writer: WritableStreamDefaultWriter<BufferSource>, input: Uint8Array, stopped: () => boolean): Promise<void> {
  for (let at = 0; at < input.length; at += SLICE_BYTES) {
    await writer.ready;
    if (stopped()) return;
    await writer.write(input.slice(at, at + SLICE_BYTES));
  }
  await writer.close();
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
