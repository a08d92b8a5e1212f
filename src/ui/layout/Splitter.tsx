import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

const KEY_STEP_PX = 16;

interface Props {
  /** The line between two panes: 'row' splits top from bottom, 'column' left from right. */
  between: 'row' | 'column';
  label: string;
  /** The size of the pane it resizes, and which way a drag grows it. */
  sizePx: number;
  grows: 'down' | 'up' | 'right' | 'left';
  minPx: number;
  maxPx: number;
  onSize: (px: number) => void;
  /** Double-click or Enter: the default size again. */
  onReset: () => void;
  testId?: string;
}

/**
 * A pane splitter: drag it, or focus it with Tab and use the arrow keys; double-click or
 * Enter puts the pane back at its default size.
 */
export function Splitter({ between, label, sizePx, grows, minPx, maxPx, onSize, onReset, testId }: Props) {
  const drag = useRef<{ from: number; size: number } | null>(null);
  const sign = grows === 'down' || grows === 'right' ? 1 : -1;
  const clamp = (px: number) => Math.round(Math.max(minPx, Math.min(maxPx, px)));
  const along = (e: PointerEvent) => (between === 'row' ? e.clientY : e.clientX);
  const onKeyDown = (e: KeyboardEvent) => {
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
    if (e.key === 'Enter') onReset();
    else if (step !== undefined) onSize(clamp(sizePx + step * sign * KEY_STEP_PX));
    else return;
    e.preventDefault();
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable, draggable window splitter (ARIA separator); an <hr> takes neither focus nor pointer capture
    <div
      className={`splitter ${between}`}
      role="separator"
      aria-orientation={between === 'row' ? 'horizontal' : 'vertical'}
      aria-label={label}
      aria-valuenow={sizePx}
      aria-valuemin={minPx}
      aria-valuemax={maxPx}
      tabIndex={0}
      title={`${label}: drag, or arrow keys; double-click for the default size`}
      data-testid={testId}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        drag.current = { from: along(e), size: sizePx };
        e.currentTarget.setPointerCapture(e.pointerId);
        e.preventDefault();
      }}
      onPointerMove={(e) => drag.current && onSize(clamp(drag.current.size + sign * (along(e) - drag.current.from)))}
      onPointerUp={(e) => {
        drag.current = null;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
    />
  );
}
