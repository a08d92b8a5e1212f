/**
 * A shared incident view: read from the URL fragment on load (validated: its notes shown, its
 * captures asked for by name, or the link refused in words), applied once the dropped files'
 * fingerprints match; and written by "Copy link" from what the page shows now.
 */
import { useCallback, useEffect, useState } from 'react';
import { readViewFragment, viewToFragment, type SharedView } from '../../share/view-link.ts';

export interface OpenCapture {
  id: number;
  name: string;
  fingerprint: string;
}

export function useSharedView() {
  const [pending, setPending] = useState<SharedView | null>(null);
  /** What the validator cut from the view (over a limit), said when it is applied. */
  const [notices, setNotices] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  /** Why the link in the address bar was refused. */
  const [refused, setRefused] = useState<string | null>(null);

  useEffect(() => {
    readViewFragment(location.hash).then(
      (read) => {
        if (!read) return;
        if ('error' in read) setRefused(read.error);
        else {
          setPending(read.view);
          setNotices(read.notices);
        }
      },
      (error) => setRefused(`This link's view could not be read (${(error as Error).message}).`),
    );
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
    setNotices([]);
  }, []);

  return { pending, notices, problem, refused, dismissRefusal: () => setRefused(null), match, done };
}

/** Puts the view in the address bar and returns the link. */
export async function shareLink(view: SharedView): Promise<string> {
  const fragment = await viewToFragment(view);
  history.replaceState(null, '', fragment);
  return location.href;
}
