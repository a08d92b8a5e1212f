/** Address text as tcpdump and Wireshark print it. */
export function macText(hi16: number, lo32: number): string {
  const b = [hi16 >>> 8, hi16 & 0xff, lo32 >>> 24, (lo32 >>> 16) & 0xff, (lo32 >>> 8) & 0xff, lo32 & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
export function ipv6Text(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}
