/**
 * Every keyboard shortcut, in one table: what it is called, what it does, and whether it may
 * fire while a text field has focus (only Ctrl chords, which type nothing there).
 */
import type { PanelName } from './viewer-state.ts';

export interface KeyPress {
  key: string;
  /** Ctrl, or Cmd on a Mac. */
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  /** A text field (input, textarea, select, contenteditable) has focus. */
  inTextField: boolean;
}

/** What the shortcuts act on (the viewer model). */
export interface KeyActions {
  toggleMark(): void;
  goToMark(forward: boolean): void;
  clearWindow(): void;
  togglePanel(panel: PanelName): void;
  /** W/S/A/D on the timeline; false when there is none. */
  timelineKey(key: string): boolean;
}

export interface KeyBinding {
  /** As the user reads it. */
  label: string;
  what: string;
  /** Fires in a text field too. */
  anywhere?: boolean;
  matches(k: KeyPress): boolean;
  /** False: not done (the browser keeps the key). */
  // biome-ignore lint/suspicious/noConfusingVoidType: most actions return nothing (done); only the timeline's says false
  run(actions: KeyActions, k: KeyPress): boolean | void;
}

const chord = (letter: string, shift: boolean) => (k: KeyPress) => k.ctrl && !k.alt && k.shift === shift && k.key.toLowerCase() === letter;
const plain =
  (...letters: string[]) =>
  (k: KeyPress) =>
    !k.ctrl && !k.alt && letters.includes(k.key.toLowerCase());

export const KEYS: readonly KeyBinding[] = [
  { label: 'Ctrl+M', what: 'mark or unmark the selected packet', anywhere: true, matches: chord('m', false), run: (a) => a.toggleMark() },
  { label: 'Ctrl+Shift+N', what: 'go to the next mark', anywhere: true, matches: chord('n', true), run: (a) => a.goToMark(true) },
  { label: 'Ctrl+Shift+B', what: 'go to the previous mark', anywhere: true, matches: chord('b', true), run: (a) => a.goToMark(false) },
  { label: 'Esc', what: 'show all packets (leave the time window); in a text field, back to the list', matches: plain('escape'), run: (a) => a.clearWindow() },
  { label: 'F', what: 'show or hide the findings', matches: plain('f'), run: (a) => a.togglePanel('findings') },
  { label: 'T', what: 'show or hide the conversations (top talkers)', matches: plain('t'), run: (a) => a.togglePanel('conversations') },
  { label: 'K', what: 'show or hide the marks', matches: plain('k'), run: (a) => a.togglePanel('marks') },
  { label: 'W / S', what: 'zoom the timeline in / out, at the pointer', matches: plain('w', 's'), run: (a, k) => a.timelineKey(k.key.toLowerCase()) },
  { label: 'A / D', what: 'pan the timeline earlier / later', matches: plain('a', 'd'), run: (a, k) => a.timelineKey(k.key.toLowerCase()) },
];

/**
 * What a key does: 'handled' (the page took it), 'leave-field' (Esc in a text field: focus
 * goes back to the list), or null (the key is the browser's or the field's).
 */
export function pressKey(k: KeyPress, actions: KeyActions): 'handled' | 'leave-field' | null {
  if (k.inTextField && k.key === 'Escape') return 'leave-field';
  const binding = KEYS.find((b) => (b.anywhere || !k.inTextField) && b.matches(k));
  if (!binding) return null;
  return binding.run(actions, k) === false ? null : 'handled';
}
