/**
 * How much one capture may grow before reading stops, as damage does: what was read stays
 * and the reason names the budget. A small gzip can inflate to gigabytes of 16-byte empty
 * records; without a bound the store's columns grow until an allocation fails.
 */
import { CaptureDamage } from './packet-sink.ts';

/**
 * The store costs 32 bytes per packet in its columns plus 3-8 in flows (README "The store"),
 * and a column grows by copying into one half again as large: at 2^27 packets that is about
 * 5 GB resident and 7 GB at the copy's peak, which a machine that opens such a capture has.
 * Beyond 2^32 the Uint32 row indices (time order, merged positions) would wrap anyway.
 */
export const DEFAULT_MAX_PACKETS = 2 ** 27;

/**
 * Decompressed bytes land in a temporary file (CLI) or a Blob the browser pages to disk.
 * Real gzip captures shrink 2-10x; 32 GiB bounds the disk a bomb (~1000x) may take while
 * staying above any capture this tool is meant for.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 2 ** 35;

export interface ReadBudgets {
  /** Packets kept before reading stops. */
  maxPackets?: number;
  /** gzip only: decompressed bytes read before reading stops. */
  maxDecompressedBytes?: number;
}

/** Which bound stopped reading: a budget of ReadBudgets, or the store's own allocation limit. */
export type BudgetKind = 'packets' | 'decompressed-bytes' | 'store';

/** Reading stopped because a budget (or the store's own limit) was reached. */
export class BudgetExceeded extends CaptureDamage {
  constructor(
    offsetBytes: number,
    reason: string,
    readonly budget: BudgetKind,
  ) {
    super(offsetBytes, reason);
  }
}

export function packetBudgetExceeded(maxPackets: number, offsetBytes: number): BudgetExceeded {
  return new BudgetExceeded(offsetBytes, `the capture holds more packets than the budget allows (budget: ${maxPackets} packets)`, 'packets');
}

export function decompressedBudgetExceeded(maxBytes: number, offsetBytes: number): BudgetExceeded {
  return new BudgetExceeded(offsetBytes, `the gzip data inflates past the budget (budget: ${maxBytes} decompressed bytes)`, 'decompressed-bytes');
}

export function storeLimitReached(packets: number, offsetBytes: number, error: RangeError): BudgetExceeded {
  return new BudgetExceeded(offsetBytes, `the store could not grow past ${packets} packets (${error.message})`, 'store');
}

/**
 * A failed typed-array allocation while the store grows: the store's own hard limit, which
 * stops reading like a budget. Other RangeErrors (a DataView read out of bounds) are bugs.
 */
export function isAllocationFailure(error: unknown): error is RangeError {
  return error instanceof RangeError && /allocation failed|Invalid (typed )?array( buffer)? length|Array buffer allocation/i.test(error.message);
}

/** The one line a budget stop reads as: "read N packets / B bytes, then stopped: why (budget ...)". */
export function budgetStopText(packets: number, offsetBytes: number, reason: string): string {
  return `read ${packets} packets / ${offsetBytes} bytes, then stopped: ${reason}`;
}
