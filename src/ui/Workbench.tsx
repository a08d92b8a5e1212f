import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { exportCount, exportEmpty } from './app/exports.ts';
import type { ViewerModel } from './app/viewer-model.ts';
import { activeFilter, captureLanes, detailsShown, listRange, type ViewerState } from './app/viewer-state.ts';
import { Inspector } from './details/Inspector.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { ExportButton } from './ExportButton.tsx';
import { FilterBar } from './FilterBar.tsx';
import { setPaneSize, usePaneSizes } from './layout/pane-sizes.ts';
import { Splitter } from './layout/Splitter.tsx';
import { PacketList } from './list/PacketList.tsx';
import { SeenAtBar } from './SeenAtBar.tsx';
import { SidePanel } from './SidePanel.tsx';
import { Timeline } from './timeline/Timeline.tsx';
import { WindowBar } from './WindowBar.tsx';

/** The timeline, at most this share of the main column until the user drags it (it scrolls beyond). */
const TIMELINE_SHARE = 0.3;
/** The details pane's share of the main column when it first appears. */
const INSPECTOR_SHARE = 0.32;
/** The side panel's first width: a quarter of the window, within these bounds. */
const SIDE_SHARE = 0.25;
const SIDE_MIN_PX = 260;
const SIDE_MAX_PX = 380;
const MIN_PANE_PX = 60;

/**
 * The workbench: the filter bar; timeline, packet list and details in the main column, with
 * splitters between them; Findings, Conversations or Marks beside it, so the list keeps its
 * rows. Sizes the user drags are remembered in this browser (layout/pane-sizes.ts).
 */
export function Workbench({ model, state }: { model: ViewerModel; state: ViewerState }) {
  const sizes = usePaneSizes();
  const main = useRef<HTMLDivElement>(null);
  const timelinePane = useRef<HTMLDivElement>(null);
  const mainPx = useSize(main);
  const timelineShownPx = useSize(timelinePane).height;
  const { overview, window, filter, mode, marks, findings, panel } = state;
  const opened = state.opened;
  const lanes = useMemo(() => captureLanes({ opened }), [opened]);
  const [listStart, listEnd] = listRange(state);
  const origin = overview?.origin ?? { sec: 0, ns: 0 };
  const inspectorPx = sizes.inspectorPx ?? Math.round(mainPx.height * INSPECTOR_SHARE);
  const sidePx = sizes.sidePx ?? Math.round(Math.max(SIDE_MIN_PX, Math.min(SIDE_MAX_PX, innerWidth * SIDE_SHARE)));
  const showDetails = detailsShown(state);
  const toggle = (name: 'findings' | 'conversations' | 'marks', label: string, title: string) => (
    <button
      type="button"
      className={panel === name ? 'pressed' : undefined}
      aria-pressed={panel === name}
      onClick={() => model.togglePanel(name)}
      title={title}
    >
      {label}
    </button>
  );
  const markCount = marks.marks.length + marks.ranges.length;
  return (
    <>
      <FilterBar
        text={state.filterText}
        onText={(t) => model.setFilterText(t)}
        history={state.history}
        outcome={filter}
        busy={state.filtering}
        onApply={(t) => model.applyFilter(t)}
      >
        {toggle('findings', `Findings${findings ? ` (${findings.length})` : ''}`, 'What happened, in lines (F)')}
        {toggle('conversations', 'Conversations', 'Top talkers (T)')}
        {toggle('marks', `Marks${markCount ? ` (${markCount})` : ''}`, 'Marked packets and ranges (K)')}
        <button
          type="button"
          className={showDetails ? 'pressed' : undefined}
          aria-pressed={showDetails}
          onClick={() => model.toggleDetails()}
          title="The selected packet's layers and bytes"
        >
          Details
        </button>
        <ExportButton model={model} state={state.exporting} count={exportCount(state)} empty={exportEmpty(state)} />
      </FilterBar>
      <main className="workbench">
        <div className="main-column" ref={main}>
          <div
            className="timeline-pane"
            ref={timelinePane}
            style={sizes.timelinePx ? { height: sizes.timelinePx } : { maxHeight: `${TIMELINE_SHARE * 100}%` }}
            data-testid="timeline-pane"
          >
            <ErrorBoundary name="the timeline">
              <Timeline model={model} />
            </ErrorBoundary>
          </div>
          <Splitter
            between="row"
            label="Timeline height"
            testId="timeline-splitter"
            sizePx={timelineShownPx}
            grows="down"
            minPx={MIN_PANE_PX}
            maxPx={Math.max(MIN_PANE_PX, mainPx.height - 2 * MIN_PANE_PX)}
            onSize={(px) => setPaneSize({ timelinePx: px })}
            onReset={() => setPaneSize({ timelinePx: null })}
          />
          {window && (
            <WindowBar
              span={window.span}
              packets={listEnd - listStart}
              filtered={Boolean(activeFilter(state))}
              onZoom={() => model.zoomTo(window.span)}
              onClear={() => model.clearWindow()}
              onMarkRange={(label) => model.markWindow(label)}
            />
          )}
          <ErrorBoundary name="the packet list" resetKey={state.version}>
            <PacketList
              fetchRows={model.fetchRows}
              listStart={listStart}
              listEnd={listEnd}
              version={state.version}
              selected={state.selected?.index ?? null}
              onSelect={(i) => model.select(i)}
              onRun={(i) => model.markRun(i)}
              mode={mode}
              origin={origin}
              captures={lanes}
              maxFrame={overview?.packets ?? 0}
            />
          </ErrorBoundary>
          {state.seenAt && (
            <SeenAtBar
              here={state.seenAt.here}
              others={state.seenAt.others}
              nat={state.nat}
              onNat={(on) => model.setNat(on)}
              onAlign={(capture, deltaSec) => model.align(capture, deltaSec)}
            />
          )}
          {showDetails && (
            <>
              <Splitter
                between="row"
                label="Details height"
                testId="details-splitter"
                sizePx={inspectorPx}
                grows="up"
                minPx={MIN_PANE_PX}
                maxPx={Math.max(MIN_PANE_PX, mainPx.height - 2 * MIN_PANE_PX)}
                onSize={(px) => setPaneSize({ inspectorPx: px })}
                onReset={() => setPaneSize({ inspectorPx: null })}
              />
              <div className="inspector-pane" style={{ height: inspectorPx }} data-testid="details-pane">
                <ErrorBoundary name="the packet details" resetKey={state.details}>
                  <Inspector details={state.details} error={state.selectError} onMore={() => model.selection.moreBytes()} />
                </ErrorBoundary>
              </div>
            </>
          )}
        </div>
        {panel && (
          <>
            <Splitter
              between="column"
              label="Side panel width"
              testId="side-splitter"
              sizePx={sidePx}
              grows="left"
              minPx={220}
              maxPx={Math.max(220, Math.round((mainPx.width + sidePx) * 0.6))}
              onSize={(px) => setPaneSize({ sidePx: px })}
              onReset={() => setPaneSize({ sidePx: null })}
            />
            <div className="side-pane" style={{ width: sidePx }} data-testid="side-pane">
              <SidePanel model={model} state={state} />
            </div>
          </>
        )}
      </main>
    </>
  );
}

/** An element's size in CSS px, kept current. */
function useSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
