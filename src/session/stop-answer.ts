/**
 * Cancel as a signal: a progress callback's answer. true, or a promise of true (a comlink
 * proxy's answer arrives a round trip later), aborts the work that reported.
 */
import type { StopAnswer } from './contract.ts';

export function stopOn(answer: StopAnswer, abort: AbortController): void {
  if (answer === true) abort.abort();
  else if (answer instanceof Object && 'then' in answer && typeof answer.then === 'function')
    answer.then(
      (stop: unknown) => stop === true && abort.abort(),
      () => {},
    );
}
