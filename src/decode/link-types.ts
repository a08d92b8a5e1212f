/** tcpdump's names for the link types (`tcpdump -L`), as `stats` prints them. */
const NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'EN10MB',
  6: 'IEEE802',
  9: 'PPP',
  12: 'RAW',
  14: 'RAW',
  101: 'RAW',
  104: 'C_HDLC',
  105: 'IEEE802_11',
  107: 'FRELAY',
  108: 'LOOP',
  113: 'LINUX_SLL',
  127: 'IEEE802_11_RADIO',
  228: 'IPV4',
  229: 'IPV6',
  253: 'NETLINK',
  274: 'ETHERNET_MPACKET',
  276: 'LINUX_SLL2',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `LINKTYPE_${linkType}`;
}

/** Link types whose frames the decoder understands; any other is kept as opaque frames. */
export function isDecodedLinkType(linkType: number): boolean {
  return [0, 1, 12, 14, 101, 108, 113, 228, 229, 276].includes(linkType);
}
