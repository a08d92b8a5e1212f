/**
 * What a filter cannot mean on a capture's link type. libpcap compiles a filter for one link
 * type and refuses, with these words, primitives that link type has no field for (Linux
 * cooked captures, from `tcpdump -i any`, have no destination MAC and no VLAN tags).
 * Link types the evaluator has no layout for are refused too, rather than matching nothing.
 */
import { linkTypeName } from '../decode/link-types.ts';
import type { Node } from './ast.ts';
import { FilterSyntaxError, type CompiledFilter } from './compile.ts';
import { FILTER_LINK_TYPES } from './evaluate.ts';

const COOKED: Record<number, string> = { 113: 'Linux cooked v1', 276: 'Linux cooked v2' };

/** The refusal tcpdump would print for this filter on this link type, or null. */
export function linkTypeProblem(root: Node | null, linkType: number): string | null {
  if (!root) return null;
  if (!FILTER_LINK_TYPES.includes(linkType)) return `filters on ${linkTypeName(linkType)} (link type ${linkType}) captures are not supported yet`;
  const cooked = COOKED[linkType];
  return cooked ? cookedProblem(root, cooked) : null;
}

function cookedProblem(n: Node, name: string): string | null {
  switch (n.kind) {
    case 'chain':
      for (const operand of [n.first, ...n.rest.map((link) => link.operand)]) {
        const problem = cookedProblem(operand, name);
        if (problem) return problem;
      }
      return null;
    case 'not':
      return cookedProblem(n.operand, name);
    case 'relation':
      return null;
    case 'test':
      switch (n.test.kind) {
        case 'vlan':
          return `no VLAN support for ${name}`;
        case 'ether-addr':
          return 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel';
        case 'ether-broadcast':
          return 'not a broadcast link';
        case 'ether-multicast':
          return 'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel';
        default:
          return null;
      }
  }
}

/** Throws the refusal for the first link type that has one, as compileFilter throws a syntax error. */
export function checkLinkTypes(filter: CompiledFilter, linkTypes: Iterable<number>, captureName?: string): void {
  for (const linkType of new Set(linkTypes)) {
    const problem = linkTypeProblem(filter.root, linkType);
    if (problem) throw new FilterSyntaxError(captureName ? `${captureName}: ${problem}` : problem, -1);
  }
}
