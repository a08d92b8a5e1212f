/**
 * Vendor-prefixed MAC addresses ("Cisco_9f:f0:01") as Wireshark resolves them, from the IEEE
 * registries (MA-L, MA-M, MA-S: https://standards.ieee.org/products-programs/regauth/) as the
 * `oui-data` package ships them.
 *
 * The registry is 5.6 MB of JSON, so it is never part of the ingest path: `loadOui()` imports it
 * on demand (its own chunk in the build), and `vendorMac` prints the plain address until then.
 *
 * Short names follow the rule Wireshark's tools/make-manuf.py applies to the IEEE organisation
 * name to build the `manuf` file tshark 4.0 reads:
 *   1. collapse whitespace; a name in capitals only is title-cased ("INTEL CORP" -> "Intel Corp");
 *   2. the characters " ' , . / : ( ) become spaces, and a standalone "&" goes;
 *   3. business-form and filler words go: Inc, Corp, Co, Ltd, GmbH, AG, S.A., Systems, The, Of...
 *      (unless that would leave nothing);
 *   4. the spaces go and the rest is cut to 8 characters.
 * So "Cisco Systems, Inc" -> "Cisco", "Intel Corporate" -> "IntelCor", "Dell Inc." -> "Dell".
 * Wireshark's manuf also has entries the IEEE does not (52:54:00 is "RealtekU" there, a
 * locally administered QEMU prefix): those print as plain addresses here.
 */
import { macAt } from './protocols/ethernet.ts';

type Registry = Record<string, string>;

let registry: Registry | null = null;
let loading: Promise<void> | null = null;
const shortNames = new Map<string, string>();

/** Starts (once) and awaits the registry's import. */
export function loadOui(): Promise<void> {
  loading ??= import('oui-data', { with: { type: 'json' } }).then((m) => {
    registry = m.default as Registry;
  });
  return loading;
}

export function ouiLoaded(): boolean {
  return registry !== null;
}

/**
 * Wireshark's names for the well-known group and virtual-router addresses (its `wka` file):
 * the ones an engineer meets around LACP, STP, HSRP and VRRP. [prefix, prefix bits, name].
 */
const WELL_KNOWN: readonly [string, number, string][] = [
  ['0180c2000002', 48, 'Slow-Protocols'],
  ['0180c200000e', 48, 'LLDP_Multicast'],
  ['0180c2000000', 44, 'Spanning-tree-(for-bridges)'],
  ['01000ccccccc', 48, 'CDP/VTP/DTP/PAgP/UDLD'],
  ['01000ccccccd', 48, 'PVST+'],
  ['00000c07ac', 40, 'All-HSRP-routers'],
  ['00005e0001', 40, 'IETF-VRRP-VRID'],
  ['333300000000', 48, 'IPv6-Neighbor-Discovery'],
  ['01005e', 25, 'IPv4mcast'],
  ['3333', 16, 'IPv6mcast'],
];

function wellKnown(mac: Uint8Array, at: number): string | null {
  let hex = '';
  for (let i = 0; i < 6; i++) hex += mac[at + i].toString(16).padStart(2, '0');
  for (const [prefix, bits, name] of WELL_KNOWN) {
    if (!hex.startsWith(prefix.slice(0, Math.floor(bits / 4)))) continue;
    if (bits % 4 && parseInt(hex[Math.floor(bits / 4)], 16) >> (4 - (bits % 4)) !== parseInt(prefix[Math.floor(bits / 4)] ?? '0', 16) >> (4 - (bits % 4)))
      continue;
    if (bits === 48) return name;
    // The bytes below the prefix, without leading zero bytes: "IETF-VRRP-VRID_2a", "IPv4mcast_12".
    const rest = Array.from(mac.subarray(at + Math.floor(bits / 8), at + 6), (b) => b.toString(16).padStart(2, '0'));
    while (rest.length > 1 && rest[0] === '00') rest.shift();
    return `${name}_${rest.join(':')}`;
  }
  return null;
}

/** "Cisco_12:0f:0d", or the plain "52:54:00:12:34:56" when no registry entry (or no registry yet). */
export function vendorMac(mac: Uint8Array, at = 0): string {
  const known = wellKnown(mac, at);
  if (known) return known;
  const hit = lookup(mac, at);
  if (!hit) return macAt(mac, at);
  const h = (i: number, mask = 0xff) => (mac[at + i] & mask).toString(16).padStart(2, '0');
  // Wireshark keeps the bytes below the assignment: 3 for MA-L, the low nibble on for MA-M/MA-S.
  if (hit.bits === 36) return `${hit.name}_${h(4, 0x0f)}:${h(5)}`;
  if (hit.bits === 28) return `${hit.name}_${h(3, 0x0f)}:${h(4)}:${h(5)}`;
  return `${hit.name}_${h(3)}:${h(4)}:${h(5)}`;
}

/** The short manufacturer name of the longest matching assignment, or null. */
export function vendorName(mac: Uint8Array, at = 0): string | null {
  return lookup(mac, at)?.name ?? null;
}

function lookup(mac: Uint8Array, at: number): { name: string; bits: number } | null {
  if (!registry) return null;
  let hex = '';
  for (let i = 0; i < 5; i++) hex += mac[at + i].toString(16).padStart(2, '0');
  hex = hex.toUpperCase();
  for (const bits of [36, 28]) {
    const key = hex.slice(0, bits / 4);
    if (registry[key] !== undefined) return { name: shortOf(key), bits };
  }
  // The 24-bit lookup ignores the group bit, so a vendor's multicast source still resolves.
  const key = (mac[at] & 0xfe).toString(16).padStart(2, '0').toUpperCase() + hex.slice(2, 6);
  // Wireshark's manuf overrides the IEEE here: an all-zero prefix is far likelier a placeholder than Xerox.
  if (key === '000000') return { name: '00:00:00', bits: 24 };
  return registry[key] !== undefined ? { name: shortOf(key), bits: 24 } : null;
}

function shortOf(key: string): string {
  let name = shortNames.get(key);
  if (name === undefined) {
    name = shortManufacturerName(registry![key].split('\n')[0]);
    shortNames.set(key, name);
  }
  return name;
}

/** Legal-form and filler words, matched after punctuation became spaces; order matters ("co" before "company"). */
const GENERAL_TERMS = [
  'a +s',
  'ab',
  'ag',
  'b ?v',
  'closed joint stock company',
  'co',
  'company',
  'corp',
  'corporation',
  'de c ?v',
  'gmbh',
  'holding',
  'inc',
  'incorporated',
  'jsc',
  'kg',
  'k k',
  'limited',
  'llc',
  'ltd',
  'n ?v',
  'oao',
  'of',
  'open joint stock company',
  'ooo',
  'oü',
  'oy',
  'oyj',
  'plc',
  'pty',
  'pvt',
  's ?a ?r ?l',
  's ?a',
  's ?p ?a',
  'sp ?k',
  's ?r ?l',
  'systems',
  'the',
  'zao',
  'z ?o ?o',
];
const TERMS = new RegExp(`[^\\p{L}\\p{N}_](${GENERAL_TERMS.join('|')})(?= )`, 'giu');

/** The 8-character short name the module comment describes. */
export function shortManufacturerName(organisation: string): string {
  let name = ` ${organisation.split(/\s+/).filter(Boolean).join(' ')} `;
  if (isAllCaps(name)) name = name.replace(/\p{L}+/gu, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
  name = name.replace(/["',./:()]/g, ' ').replaceAll(' & ', ' ');
  const plain = name.replace(TERMS, '');
  if (plain.trim() !== '') name = plain;
  return Array.from(name.replace(/\s+/g, '')).slice(0, 8).join('');
}

/** Python's str.isupper(): some cased letter, and no lower-case one. */
function isAllCaps(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text);
}
