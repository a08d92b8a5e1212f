/**
 * The file behind an open capture changed after it was opened: the store's offsets no longer
 * describe its bytes, so reads stop rather than show other packets' bytes.
 */
export class CaptureChanged extends Error {
  constructor(
    readonly sourceName: string,
    /** What was noticed, e.g. "size 1200 -> 1300 bytes" or "the browser refused to read it: NotReadableError". */
    readonly change: string,
    options?: ErrorOptions,
  ) {
    super(`${sourceName} changed on disk since it was opened (${change}); reads stopped`, options);
  }
}
