/**
 * The last steps of reading a view from a link or a bundle: UTF-8 text (strictly), JSON, and
 * the validator; every failure one sentence, capitalised, for the page to show as it is.
 */
import { validateView, type SharedView, type ViewSource } from './validate-view.ts';

export type ViewRead = { view: SharedView; notices: string[] } | { error: string };

const OWNER: Record<ViewSource, string> = { link: "This link's", bundle: "This bundle's", saved: "The saved view's" };

export function parseViewJson(bytes: Uint8Array, source: ViewSource): ViewRead {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: `${OWNER[source]} view is not UTF-8 text.` };
  }
  return parseViewText(text, source);
}

export function parseViewText(text: string, source: ViewSource): ViewRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // Engines that parse recursively give up on deep nesting with a RangeError.
    return { error: e instanceof RangeError ? `${OWNER[source]} view is nested too deeply to read.` : `${OWNER[source]} view is not JSON.` };
  }
  const checked = validateView(value, source);
  return checked.ok ? { view: checked.view, notices: checked.notices.map(sentence) } : { error: sentence(checked.error) };
}

/** The validator's clause as a sentence. */
export function sentence(clause: string): string {
  return `${clause[0].toUpperCase()}${clause.slice(1)}.`;
}
