/**
 * What the viewer asks of the session: the contract's calls (src/session/contract.ts), each
 * answered later (a promise).
 * Callbacks are plain functions here; the browser's adapter (browser-engine.ts) sends them
 * across the worker boundary, and under Node a test hands the model a Workspace directly.
 */
import type { SessionApi } from '../../session/contract.ts';

type Promised<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

export type ViewerEngine = Promised<SessionApi>;
