/**
 * Typed-array columns grow by half again (after an up-front estimate, see
 * PacketStore.planCapacity) and are trimmed once, when ingest ends.
 */
type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Int8Array | Float64Array;

export function grown<T extends TypedArray>(column: T, minLength: number): T {
  if (column.length >= minLength) return column;
  const bigger = new (column.constructor as new (n: number) => T)(Math.max(minLength, Math.ceil(column.length * 1.5), 1024));
  bigger.set(column);
  return bigger;
}

/** Copies only when more than an eighth would be wasted; otherwise a view of the same buffer. */
export function trimmed<T extends TypedArray>(column: T, length: number): T {
  if (column.length === length) return column;
  return (column.length > length * 1.125 ? column.slice(0, length) : column.subarray(0, length)) as T;
}

/** What a column really keeps resident: its whole buffer, even when it is a trimmed view. */
export function residentBytes(column: TypedArray): number {
  return column.buffer.byteLength;
}
