/** The UI's handle on the ingest worker: typed by the session's contract (types only). */
import { wrap, type Remote } from 'comlink';
import type { SessionApi } from '../session/contract.ts';

export type Engine = Remote<SessionApi>;

export function startEngine(): Engine {
  const worker = new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
  return wrap<SessionApi>(worker);
}
