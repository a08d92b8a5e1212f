/**
 * Exact timestamps as text. Date cannot hold every capture's time (one real file has
 * packets around year 586000), so the calendar is computed from days since the epoch
 * (Howard Hinnant's civil_from_days), in plain integers.
 */
export function isoTime(tsSec: number, tsNs: number): string {
  const days = Math.floor(tsSec / 86400);
  const secOfDay = tsSec - days * 86400;
  const [year, month, day] = civilFromDays(days);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  const y = year < 0 ? `-${pad(-year, 6)}` : year > 9999 ? `+${pad(year, 6)}` : pad(year, 4);
  return `${y}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(tsNs, 9)}Z`;
}

/**
 * Seconds since the epoch with nine fractional digits, as tshark's frame.time_epoch prints
 * them; before 1970 this is the true value (-3.5 s), where tshark prints -4.500000000.
 */
export function epochText(tsSec: number, tsNs: number): string {
  if (tsSec < 0 && tsNs > 0) return `-${-tsSec - 1}.${pad(1e9 - tsNs, 9)}`;
  return `${tsSec}.${pad(tsNs, 9)}`;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
