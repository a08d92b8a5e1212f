/**
 * A shared incident view: read from the URL fragment on load (its notes shown, its captures
 * asked for by name), applied once the dropped files' fingerprints match; and written by
 * "Copy link" from what the page shows now.
 */
import { useCallback, useEffect, useState } from 'react';
import { viewFromFragment, viewToFragment, type SharedView } from '../../share/view-link.ts';

export interface OpenCapture {
  id: number;
  name: string;
  fingerprint: string;
}

export function useSharedView() {
  const [pending, setPending] = useState<SharedView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    viewFromFragment(location.hash).then((view) => view && setPending(view));
  }, []);

  /** Capture ids for the view's captures, by fingerprint; null (with the reason said) until all are open. */
  const match = useCallback(
    (open: OpenCapture[]): number[] | null => {
      if (!pending) return null;
      const ids: number[] = [];
      const missing: string[] = [];
      for (const c of pending.captures) {
        const found = open.find((o) => o.fingerprint === c.fingerprint);
        if (found) ids.push(found.id);
        else if (open.some((o) => o.name === c.name)) missing.push(`${c.name} is open, but its content is not the one this view was made from`);
        else missing.push(`${c.name} is not open yet`);
      }
      setProblem(missing.length ? missing.join('; ') : null);
      return missing.length ? null : ids;
    },
    [pending],
  );

  const done = useCallback(() => {
    setPending(null);
    setProblem(null);
  }, []);

  return { pending, problem, match, done };
}

/** Puts the view in the address bar and returns the link. */
export async function shareLink(view: SharedView): Promise<string> {
  const fragment = await viewToFragment(view);
  history.replaceState(null, '', fragment);
  return location.href;
}
