import type { Arith, Step } from './ast.ts';

/** BPF's 32-bit unsigned arithmetic. Callers decide what division by zero means (BPF rejects the packet). */
export function binary(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return (x + y) >>> 0;
    case '-':
      return (x - y) >>> 0;
    case '*':
      return Math.imul(x, y) >>> 0;
    case '/':
      return Math.floor(x / y) >>> 0;
    case '%':
      return (x % y) >>> 0;
    case '&':
      return (x & y) >>> 0;
    case '|':
      return (x | y) >>> 0;
    case '^':
      return (x ^ y) >>> 0;
    case '<<':
      return y > 31 ? 0 : (x << y) >>> 0;
    default:
      return y > 31 ? 0 : x >>> y;
  }
}

/** Where the values of `len` and of loads come from; null: not known here. */
export interface Leaves {
  len(): number | null;
  load(step: Extract<Step, { kind: 'load' }>, offset: number): number | null;
}

/** The value of postfix arithmetic; null when a leaf is unknown or a divisor is 0 (BPF rejects the packet). */
export function runArith(code: Arith, leaves: Leaves): number | null {
  const stack: number[] = [];
  for (const step of code) {
    switch (step.kind) {
      case 'num':
        stack.push(step.value >>> 0);
        break;
      case 'len': {
        const v = leaves.len();
        if (v === null) return null;
        stack.push(v);
        break;
      }
      case 'load': {
        const v = leaves.load(step, stack.pop()!);
        if (v === null) return null;
        stack.push(v);
        break;
      }
      case 'neg':
        stack.push(-stack.pop()! >>> 0);
        break;
      case 'bin': {
        const y = stack.pop()!;
        const x = stack.pop()!;
        if (y === 0 && (step.op === '/' || step.op === '%')) return null;
        stack.push(binary(step.op, x, y));
      }
    }
  }
  return stack[0];
}

type Load = Extract<Step, { kind: 'load' }>;

/**
 * The arithmetic as libpcap's optimiser leaves it (optimize.c, opt_stmt): operations on
 * constants folded, anything times or AND a constant 0 made 0, and 0 times, over, modulo,
 * AND or shifted by anything made 0, the loads that fed them dropped (so `0 / ether[14]` is
 * 0 even where ether[14] is 0, and `ether[1000] * 0` matches short packets). `len - len` is
 * not folded. A load whose offset folds is marked: the optimiser adds that offset into the
 * load's own 32-bit offset, where it wraps.
 */
export function fold(code: Arith): Step[] {
  const stack: Step[][] = [];
  for (const step of code) {
    switch (step.kind) {
      case 'num':
      case 'len':
        stack.push([step]);
        break;
      case 'load': {
        const offset = stack.pop()!;
        offset.push({ ...step, folded: constantOf(offset) !== null });
        stack.push(offset);
        break;
      }
      case 'neg': {
        const operand = stack.pop()!;
        const v = constantOf(operand);
        if (v === null) operand.push(step);
        stack.push(v === null ? operand : [{ kind: 'num', value: -v >>> 0 }]);
        break;
      }
      case 'bin': {
        const y = stack.pop()!;
        const x = stack.pop()!;
        const v = foldedBinary(step.op, constantOf(x), constantOf(y));
        if (v !== null) {
          stack.push([{ kind: 'num', value: v }]);
        } else {
          // In place: a 30,000-term sum stays linear.
          for (const s of y) x.push(s);
          x.push(step);
          stack.push(x);
        }
      }
    }
  }
  return stack[0] ?? [];
}

function constantOf(code: Step[]): number | null {
  return code.length === 1 && code[0].kind === 'num' ? code[0].value : null;
}

function foldedBinary(op: string, x: number | null, y: number | null): number | null {
  // A constant divisor of 0 is refused before this runs; leave it for BPF to reject.
  if (y === 0 && (op === '/' || op === '%')) return null;
  if (x !== null && y !== null) return binary(op, x, y);
  if (y === 0 && (op === '*' || op === '&')) return 0;
  if (x === 0 && op !== '+' && op !== '-' && op !== '|' && op !== '^') return 0;
  return null;
}

/** The constant a stretch of postfix code (one whole operand) folds to, or null. */
export function constantValue(code: Arith, from = 0, to = code.length): number | null {
  return constantOf(fold(code.slice(from, to)));
}

/** The loads as written: libpcap keeps the protocol checks it put before each, even where the optimiser drops the load. */
export function loadsOf(code: Arith): Load[] {
  return code.filter((step): step is Load => step.kind === 'load');
}
