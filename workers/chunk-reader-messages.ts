/**
 * The messages between the ingest worker (chunk-reader-client.ts) and the chunk reader
 * (chunk-reader.worker.ts), one discriminated union each way, by `type`; `id` names the
 * read (a new one for each file read), so a late chunk of a stopped read is told apart.
 */

/** Ingest worker -> chunk reader. */
export type ChunkRequest =
  /** Read `file` from its start; at most `credits` chunks go out ahead of the reader's use. */
  | { type: 'start'; id: number; file: Blob; chunkBytes: number; credits: number }
  /** One chunk was taken: one more may be sent. */
  | { type: 'credit'; id: number }
  /** The reader is done with this read (finished, failed or cancelled). */
  | { type: 'stop'; id: number };

/** Chunk reader -> ingest worker. */
export type ChunkAnswer =
  /** The next chunk of the file (its buffer transferred); `done` on the last one. */
  { type: 'chunk'; id: number; buffer: ArrayBuffer; done: boolean } | { type: 'error'; id: number; message: string };
