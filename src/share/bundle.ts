/**
 * An incident bundle: one pcapng holding the marked and ranged packets with their notes as
 * packet comments, and the view itself as JSON in the section header's comment. Wireshark
 * shows the packets and comments (and the view text under Capture File Properties); Packet
 * Timeline restores the view from it with no other file.
 */
import type { SharedView } from './view-link.ts';

const MARKER = 'packet-timeline-view:';

export function bundleComment(view: SharedView): string {
  return MARKER + JSON.stringify(view);
}

/** The view a capture's section comments carry, if it is a bundle. */
export function viewInComments(comments: readonly string[]): SharedView | null {
  for (const c of comments) {
    if (!c.startsWith(MARKER)) continue;
    try {
      const view = JSON.parse(c.slice(MARKER.length)) as SharedView;
      if (view.v === 1) return view;
    } catch {
      // Not ours after all: a comment that happens to start the same.
    }
  }
  return null;
}
