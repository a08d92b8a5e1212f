/**
 * The worker as the model sees it: every call counted as work in flight (the idle signal),
 * callbacks sent across with comlink's proxy().
 */
import { proxy, type Remote } from 'comlink';
import type { SessionApi } from '../../session/contract.ts';
import type { Activity } from './activity.ts';
import type { ViewerEngine } from './engine-port.ts';

export function browserEngine(remote: Remote<SessionApi>, activity: Activity): ViewerEngine {
  const calls = new Map<PropertyKey, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as ViewerEngine, {
    get(_, name) {
      // Not a thenable: `await engine` must not call the worker.
      if (name === 'then') return undefined;
      let call = calls.get(name);
      if (!call) {
        const method = (remote as unknown as Record<PropertyKey, (...args: unknown[]) => Promise<unknown>>)[name];
        call = (...args) => activity.track(method(...args.map((a) => (typeof a === 'function' ? proxy(a) : a))));
        calls.set(name, call);
      }
      return call;
    },
  });
}
