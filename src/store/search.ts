/**
 * Binary search, written once. Each returns the first index of [lo, hi) at which a
 * condition that holds for a prefix of the range stops holding, or hi if it never does:
 * where to insert so that the range stays sorted.
 */

/** First i in [lo, hi) with sorted[i] >= x (values ascending). */
export function lowerBound(sorted: ArrayLike<number>, x: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First i in [lo, hi) with sorted[i] > x (values ascending). */
export function upperBound(sorted: ArrayLike<number>, x: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First i in [lo, hi) with `before(i)` false, where `before` is true on a prefix of the
 * range and false after it: for orders that are not one array (times behind a row order,
 * several captures merged).
 */
export function partitionPoint(lo: number, hi: number, before: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
