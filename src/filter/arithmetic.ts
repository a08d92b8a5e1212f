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
      return x % y >>> 0;
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
