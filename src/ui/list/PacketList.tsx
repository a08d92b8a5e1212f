import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ListRow } from '../../session/contract.ts';
import { setColumnWidth, usePaneSizes } from '../layout/pane-sizes.ts';
import type { TimeMode } from '../timeline/time-labels.ts';
import { COLUMNS, gridColumns, MIN_COLUMN_PX } from './columns.ts';
import { RowCache, type FetchRows } from './row-cache.ts';
import { firstRowAt, ROW_PX, scrollHeightPx, scrollTopFor } from './scaled-scroll.ts';
import { captureColor } from '../colors.ts';
import { deltaCell, timeCell, type TimeOrigin } from './time-cell.ts';

interface Props {
  fetchRows: FetchRows;
  /** Rows shown: [listStart, listEnd) of the view (all packets, or a filter's matches); `selected` is a view row. */
  listStart: number;
  listEnd: number;
  /** Changes when the rows behind the same positions may have changed (e.g. while reading). */
  version: number;
  selected: number | null;
  onSelect: (position: number) => void;
  /** Shift+click: the run from the selected row to this one (marked, as in Wireshark). */
  onRun?: (index: number) => void;
  mode: TimeMode;
  origin: TimeOrigin;
  /** The open captures in lane order: with several, each row's number carries its capture's colour (its lane's). */
  captures: { id: number; name: string }[];
  /** The highest frame number there is (the No. column fits it). */
  maxFrame: number;
}

const KEY_STEP_PX = 16;

export function PacketList({ fetchRows, listStart, listEnd, version, selected, onSelect, onRun, mode, origin, captures, maxFrame }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportPx, setViewportPx] = useState(400);
  const [, setLoaded] = useState(0);
  const rows = Math.max(0, listEnd - listStart);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says the rows changed (a filter, an offset): a new cache on purpose
  const cache = useMemo(() => new RowCache(fetchRows, listStart, listEnd, () => setLoaded((n) => n + 1), setError), [fetchRows, listStart, listEnd, version]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new cache forgets the old one's error
  useEffect(() => setError(null), [cache]);

  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => setViewportPx(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // The monospace font's character width, measured on the page: columns are sized in characters.
  const probe = useRef<HTMLSpanElement>(null);
  const [charPx, setCharPx] = useState(7.2);
  useLayoutEffect(() => setCharPx(probe.current!.getBoundingClientRect().width / 10 || 7.2), []);
  const { columns: dragged } = usePaneSizes();
  const merged = captures.length > 1;
  const lanes = useMemo(() => (merged ? new Map(captures.map((c, lane) => [c.id, { lane, name: c.name }])) : null), [captures, merged]);
  const grid = gridColumns(charPx, dragged, maxFrame, mode, merged);

  const visible = Math.ceil(viewportPx / ROW_PX) + 1;
  const first = Math.max(0, Math.min(firstRowAt(scrollTop, rows, viewportPx), rows - 1));

  // Keep the selected packet on screen when it is chosen elsewhere (timeline, keys).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new selection scrolls; the user's own scrolling must not be undone
  useEffect(() => {
    if (selected === null || !scroller.current) return;
    const index = selected - listStart;
    if (index < 0 || index >= rows) return;
    const full = Math.floor(viewportPx / ROW_PX) - 1;
    if (index < first || index > first + full) {
      const target = Math.max(0, index - Math.floor(full / 2));
      scroller.current.scrollTop = scrollTopFor(target, rows, viewportPx);
      setScrollTop(scroller.current.scrollTop);
    }
  }, [selected, listStart, rows]);

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(viewportPx / ROW_PX) - 1);
    const current = selected === null ? -1 : selected - listStart;
    const next =
      e.key === 'ArrowDown'
        ? current + 1
        : e.key === 'ArrowUp'
          ? current - 1
          : e.key === 'PageDown'
            ? current + page
            : e.key === 'PageUp'
              ? current - page
              : e.key === 'Home'
                ? 0
                : e.key === 'End'
                  ? rows - 1
                  : null;
    if (next === null || rows === 0) return;
    e.preventDefault();
    onSelect(listStart + Math.max(0, Math.min(rows - 1, next)));
  };

  const shown: (ListRow | undefined)[] = [];
  for (let i = first; i < Math.min(rows, first + visible); i++) shown.push(cache.row(i));

  return (
    <div className="packet-list" style={{ ['--columns' as string]: grid }}>
      <span className="char-probe" ref={probe} aria-hidden="true">
        0000000000
      </span>
      <div className="packet-row header" role="row">
        {COLUMNS.map((c, i) => (
          <span key={c.key} role="columnheader">
            {c.title}
            {i < COLUMNS.length - 1 && <ColumnHandle column={c.key} title={c.title} />}
          </span>
        ))}
      </div>
      <div
        className="packet-scroller"
        ref={scroller}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="packet-table"
        role="grid"
        aria-rowcount={rows}
      >
        <div style={{ height: scrollHeightPx(rows), position: 'relative' }}>
          <div style={{ position: 'absolute', top: scrollTop, left: 0, right: 0 }}>
            {shown.map((row, k) => (
              <Row
                key={first + k}
                row={row}
                index={first + k}
                selected={listStart + first + k === selected}
                onSelect={onSelect}
                onRun={onRun}
                listStart={listStart}
                mode={mode}
                origin={origin}
                lanes={lanes}
              />
            ))}
          </div>
        </div>
        {rows === 0 && <p className="list-empty">No packets in this view.</p>}
        {error && (
          <p className="list-error" role="alert" data-testid="list-error">
            Rows could not be read: {error}
          </p>
        )}
      </div>
    </div>
  );
}

function Row({
  row,
  index,
  selected,
  onSelect,
  onRun,
  listStart,
  mode,
  origin,
  lanes,
}: {
  row: ListRow | undefined;
  index: number;
  selected: boolean;
  onSelect: (p: number) => void;
  onRun?: (p: number) => void;
  listStart: number;
  mode: TimeMode;
  origin: TimeOrigin;
  lanes: Map<number, { lane: number; name: string }> | null;
}) {
  if (!row) {
    // Still loading (or unreadable): selectable all the same, by its place in the list.
    return (
      <div className="packet-row loading" data-testid="packet-row" aria-selected={selected} role="row" onMouseDown={() => onSelect(listStart + index)}>
        <span>{listStart + index + 1}</span>
        <span>…</span>
      </div>
    );
  }
  const cls = `packet-row proto-${row.protocol.toLowerCase()}${selected ? ' selected' : ''}${row.malformed ? ' malformed' : ''}`;
  return (
    <div
      className={cls}
      data-testid="packet-row"
      data-position={row.position}
      aria-selected={selected}
      role="row"
      onMouseDown={(e) => (e.shiftKey && onRun ? onRun(listStart + index) : onSelect(listStart + index))}
    >
      <span title={lanes ? `frame ${row.frame} of ${lanes.get(row.capture)?.name}` : undefined}>
        {lanes && <i className="capture-dot" style={{ background: captureColor(lanes.get(row.capture)?.lane ?? 0) }} />}
        {row.frame}
      </span>
      <span data-testid="time">{timeCell(row.tsSec, row.tsNs, mode, origin, row.digits)}</span>
      <span>{deltaCell(row.deltaSec, row.digits)}</span>
      <span>{row.vlan}</span>
      <span title={row.source}>{row.source}</span>
      <span title={row.destination}>{row.destination}</span>
      <span>{row.protocol}</span>
      <span>{row.length}</span>
      <span title={row.info}>{row.info}</span>
    </div>
  );
}

/** Drag a column's right edge (or focus it and use ←/→) to size it; double-click (or Enter) fits it to its content again. */
function ColumnHandle({ column, title }: { column: string; title: string }) {
  const drag = useRef<{ from: number; width: number } | null>(null);
  const widthOf = (el: HTMLElement) => el.parentElement!.getBoundingClientRect().width;
  const set = (px: number) => setColumnWidth(column, Math.max(MIN_COLUMN_PX, Math.round(px)));
  return (
    <span
      className="col-resize"
      // biome-ignore lint/a11y/useAriaPropsForRole: the column's width is its own header's, announced there; the handle only moves it
      role="separator"
      aria-orientation="vertical"
      aria-label={`Width of the ${title} column`}
      tabIndex={0}
      data-column={column}
      onPointerDown={(e: PointerEvent<HTMLSpanElement>) => {
        drag.current = { from: e.clientX, width: widthOf(e.currentTarget) };
        e.currentTarget.setPointerCapture(e.pointerId);
        e.preventDefault();
      }}
      onPointerMove={(e) => drag.current && set(drag.current.width + e.clientX - drag.current.from)}
      onPointerUp={(e) => {
        drag.current = null;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onDoubleClick={() => setColumnWidth(column, null)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') setColumnWidth(column, null);
        else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') set(widthOf(e.currentTarget) + (e.key === 'ArrowRight' ? KEY_STEP_PX : -KEY_STEP_PX));
        else return;
        e.preventDefault();
      }}
    />
  );
}
