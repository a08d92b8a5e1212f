/** Typed-array columns grow by doubling and are trimmed once, when ingest ends. */
type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

export function grown<T extends TypedArray>(column: T, minLength: number): T {
  if (column.length >= minLength) return column;
  const bigger = new (column.constructor as new (n: number) => T)(Math.max(minLength, column.length * 2, 1024));
  bigger.set(column);
  return bigger;
}

export function trimmed<T extends TypedArray>(column: T, length: number): T {
  return column.length === length ? column : (column.slice(0, length) as T);
}
