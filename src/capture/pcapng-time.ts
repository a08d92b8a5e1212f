/**
 * pcapng timestamps are 64-bit counts of 1/if_tsresol seconds, split in two 32-bit words.
 * Doubles are exact below 2^53 only, and ns counts since 1970 are ~2^61: so the division
 * of the high word is done once per high-word value in BigInt and cached (it changes every
 * ~4 s at ns resolution), and the per-packet work stays in exact small doubles.
 */
export class TimestampUnits {
  readonly unitsPerSec: number;
  private readonly nsPerUnit: number;
  private readonly big: bigint;
  private cachedHigh = -1;
  private highQuotient = 0;
  private highRemainder = 0;
  tsSec = 0;
  tsNs = 0;

  /** `tsresol` is the raw option byte: bit 7 set means 2^-n, else 10^-n. */
  constructor(
    readonly tsresol: number,
    private readonly offsetSec: number,
  ) {
    const exponent = tsresol & 0x7f;
    this.big = tsresol & 0x80 ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
    this.unitsPerSec = Number(this.big);
    this.nsPerUnit = tsresol & 0x80 ? 0 : exponent <= 9 ? 10 ** (9 - exponent) : 0;
  }

  get label(): string {
    return this.tsresol & 0x80 ? `2^-${this.tsresol & 0x7f}` : `10^-${this.tsresol}`;
  }

  /** Sets tsSec and tsNs (no allocation on the common path). */
  set(high: number, low: number): void {
    if (this.unitsPerSec > 2 ** 52) return this.setExactly(high, low);
    if (high !== this.cachedHigh) this.cacheHigh(high);
    const units = this.highRemainder + low; // < unitsPerSec + 2^32: exact
    const carry = Math.floor(units / this.unitsPerSec);
    const frac = units - carry * this.unitsPerSec;
    this.tsSec = this.highQuotient + carry + this.offsetSec;
    this.tsNs = this.nsPerUnit ? frac * this.nsPerUnit : Number((BigInt(frac) * 1_000_000_000n) / this.big);
  }

  /** Resolutions finer than 2^-52 s: remainder + low would not be exact in a double. */
  private setExactly(high: number, low: number): void {
    const units = (BigInt(high) << 32n) | BigInt(low);
    this.tsSec = Number(units / this.big) + this.offsetSec;
    this.tsNs = Number(((units % this.big) * 1_000_000_000n) / this.big);
  }

  private cacheHigh(high: number): void {
    const value = BigInt(high) << 32n;
    this.cachedHigh = high;
    this.highQuotient = Number(value / this.big);
    this.highRemainder = Number(value % this.big);
  }
}
