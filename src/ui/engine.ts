/** The UI's handle on the ingest worker: typed by the worker's own api (types only). */
import { wrap, type Remote } from 'comlink';
import type { IngestApi } from '../../workers/ingest.worker.ts';

export type Engine = Remote<IngestApi>;

export function startEngine(): Engine {
  const worker = new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
  return wrap<IngestApi>(worker);
}
