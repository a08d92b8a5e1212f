/** The page's keys, handed to the model's table (keys.ts); Esc in a text field goes back to the list. */
import type { ViewerModel } from './viewer-model.ts';

/** Inputs that take no typed text: shortcuts still work while they have focus. */
const KEYLESS_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file', 'range']);

export function bindKeys(model: ViewerModel): () => void {
  const onKey = (e: KeyboardEvent) => {
    const outcome = model.pressKey({ key: e.key, ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey, alt: e.altKey, inTextField: isTextEntry(e.target) });
    if (outcome === 'handled') e.preventDefault();
    else if (outcome === 'leave-field') {
      (e.target as HTMLElement).blur();
      document.querySelector<HTMLElement>('[data-testid="packet-table"]')?.focus();
    }
  };
  addEventListener('keydown', onKey);
  return () => removeEventListener('keydown', onKey);
}

function isTextEntry(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement) return !KEYLESS_INPUTS.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
}
