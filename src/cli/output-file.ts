/**
 * Where `export` writes: never over one of its inputs, and never a half file. The output is
 * written to a temporary file beside it and renamed over it at the end, so a failed export
 * leaves what was there before (or nothing).
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, inPathTerms, isSystemError } from './input-error.ts';

/** Refuses an output that is one of the inputs: the same device and inode, through any links. */
export async function refuseInputAsOutput(out: string, inputs: string[]): Promise<void> {
  const target = await statOrNull(out);
  if (!target) return;
  for (const input of inputs) {
    const s = await statOrNull(input);
    if (s && s.dev === target.dev && s.ino === target.ino) {
      throw new InputError(`export: the output ${out} is the input ${input} (the same file); choose another output`);
    }
  }
}

/** Writes the chunks to path through a temporary file renamed at the end; returns the bytes written. */
export async function writeAtomically(path: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  // Through a symlink to the file it names, as writing to the path would.
  const final = await realpath(path).catch(() => resolve(path));
  const existing = await statOrNull(final);
  const temp = join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.partial`);
  const handle = await open(temp, 'wx', 0o666).catch((error) => Promise.reject(inPathTerms(error, path)));
  // A signal mid-way ends the process without unwinding: remove the partial file first.
  const removeTemp = () => {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or removed
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    removeTemp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  let bytes = 0;
  let closed = false;
  try {
    if (existing) await handle.chmod(existing.mode & 0o7777);
    for await (const chunk of chunks) {
      for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
      bytes += chunk.length;
    }
    closed = true;
    await handle.close();
    await rename(temp, final);
    return bytes;
  } catch (error) {
    if (!closed) await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw inPathTerms(error, path);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (isSystemError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return null;
    throw error;
  }
}
