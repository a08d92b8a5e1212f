/**
 * Joining a conversation's expression to the filter box's text, as "Exclude" does. tcpdump's
 * `vlan` moves every later test one tag in, whatever the parentheses, so text appended after
 * a filter that used `vlan` would be read inside the tag: the join must put an expression
 * that uses `vlan` last, and cannot join two that both do.
 */
import { compileFilter } from './compile.ts';

export type Composed = { text: string } | { problem: string };

export function excluding(current: string, clause: string): Composed {
  const excluded = `not (${clause})`;
  if (current.trim() === '') return { text: excluded };
  let filterDepth: number;
  try {
    filterDepth = compileFilter(current).vlanDepthAtEnd;
  } catch (error) {
    return { problem: `the filter does not compile yet: ${(error as Error).message}` };
  }
  const base = /\bor\b|\|\|/.test(current) ? `(${current.trim()})` : current.trim();
  if (filterDepth === 0) return { text: `${base} and ${excluded}` };
  if (compileFilter(clause).vlanDepthAtEnd === 0) return { text: `${excluded} and ${base}` };
  return {
    problem:
      'both the filter and this conversation look inside VLAN tags; tcpdump reads everything after a `vlan` one tag in, so they cannot be joined. Use Only, or edit the filter by hand.',
  };
}
