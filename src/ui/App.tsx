import { proxy } from 'comlink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FilterOutcome, Overview, IngestProgress, OpenedCapture, PlacedFinding, SeenAt, DetailNode } from '../session/contract.ts';
import { DetailsPane } from './details/DetailsPane.tsx';
import { HexPane } from './details/HexPane.tsx';
import { startEngine } from './engine.ts';
import { FileDrop } from './FileDrop.tsx';
import { ConversationsPanel } from './ConversationsPanel.tsx';
import { FilterBar, useFilterHistory } from './FilterBar.tsx';
import { FindingsPanel } from './FindingsPanel.tsx';
import { MarksPanel } from './marks/MarksPanel.tsx';
import { marksFileText, RANGE_COLORS } from './marks/mark-set.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { readSetting, writeSetting } from './safe-storage.ts';
import { useMarks } from './marks/use-marks.ts';
import { shareLink, useSharedView } from './share/use-shared-view.ts';
import type { SharedView } from '../share/view-link.ts';
import { ExportButton } from './ExportButton.tsx';
import { SeenAtBar } from './SeenAtBar.tsx';
import { SharedViewBanner } from './share/SharedViewBanner.tsx';
import { WindowBar } from './WindowBar.tsx';
import { IngestProgressBar } from './IngestProgressBar.tsx';
import { PacketList } from './list/PacketList.tsx';
import { CaptureStrip } from './CaptureStrip.tsx';
import { download } from './download.ts';
import { applyTheme, initialTheme, type ThemeName } from './theme.ts';
import { Timeline } from './timeline/Timeline.tsx';
import type { TimelineController } from './timeline/timeline-controller.ts';
import type { TimeMode } from './timeline/time-labels.ts';
import type { Viewport } from './timeline/viewport.ts';

const DEMO_URL = 'demo/field-story-1.pcap.gz';
/** How often the page asks the worker what it has read so far; each answer costs the ingest a little. */
const POLL_MS = 1000;
/** The longest stretch of a finding the timeline zooms to on a click. */
const FINDING_VIEW_SEC = 5;
/** A Shift+click run marks at most this many packets (the most a view holds). */
const MAX_RUN = 100_000;
/** The hex pane reads a huge record this much at a time (the worker's PACKET_HEAD_BYTES). */
const HEX_PAGE_BYTES = 1024 * 1024;

interface Selected {
  title: string;
  nodes: DetailNode[];
  bytes: Uint8Array;
  /** The packet's captured length: more than `bytes` holds for a huge record. */
  capLen: number;
  position: number;
}

export function App() {
  const engine = useMemo(startEngine, []);
  const [themeName, setThemeName] = useState<ThemeName>(initialTheme);
  const theme = useMemo(() => applyTheme(themeName), [themeName]);
  const [progress, setProgress] = useState<IngestProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<OpenedCapture[]>([]);
  const [overview, setOverview] = useState<Overview | null>(null);
  const [mode, setMode] = useState<TimeMode>('wall');
  /** The selected packet: its row in the list and its position in the merged time order. */
  const [selected, setSelected] = useState<{ index: number; position: number } | null>(null);
  const [filter, setFilter] = useState<FilterOutcome | null>(null);
  const [filtering, setFiltering] = useState(false);
  const [filterText, setFilterText] = useState('');
  const [history, remember] = useFilterHistory();
  const [conversationsOpen, setConversationsOpen] = useState(false);
  const [findings, setFindings] = useState<PlacedFinding[] | null>(null);
  const [findingsOpen, setFindingsOpen] = useState(true);
  const [details, setDetails] = useState<Selected | null>(null);
  const [hoverRange, setHoverRange] = useState<[number, number] | null>(null);
  const [window, setWindow] = useState<{ span: Viewport; range: [number, number] } | null>(null);
  const [version, setVersion] = useState(0);
  const timeline = useRef<TimelineController | null>(null);
  const marking = useMarks(engine, overview?.baseSec ?? 0);
  const [marksOpen, setMarksOpen] = useState(false);
  const [offsets, setOffsets] = useState<number[]>([]);
  const shared = useSharedView();
  const [link, setLink] = useState<string | null>(null);
  const applyViewRef = useRef(async (_bundle?: { view: SharedView; id: number; notices: string[] }) => {});
  const pendingZoom = useRef<Viewport | null>(null);
  useEffect(() => {
    if (!pendingZoom.current || !overview) return;
    timeline.current?.zoomTo(pendingZoom.current);
    pendingZoom.current = null;
  }, [overview]);
  const [seenAt, setSeenAt] = useState<{ here: string; others: SeenAt[] } | null>(null);
  /** Match packets across NAT: addresses and ports left out of the comparison. */
  const [nat, setNat] = useState(false);
  const natRef = useRef(nat);
  natRef.current = nat;
  const busyRef = useRef(false);
  /** Files given while another read runs: they open right after it, in order. */
  const queued = useRef<File[]>([]);
  const [waiting, setWaiting] = useState<string[]>([]);
  /** True while the only capture open is the demo the first visit opened: the user's own file replaces it. */
  const demoOnly = useRef(false);
  const [selectError, setSelectError] = useState<string | null>(null);
  /** A bundle's view refused, the demo not loaded: said once, above everything. */
  const [viewProblem, setViewProblem] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setOverview(await engine.overview());
    setVersion((v) => v + 1);
  }, [engine]);

  const openFiles = useCallback(
    async (files: File[], isDemo = false) => {
      if (files.length === 0) return;
      if (busyRef.current) {
        // Never dropped: the files wait for the read in progress (the demo is cancelled for them).
        queued.current.push(...files);
        setWaiting(queued.current.map((f) => f.name));
        if (demoOnly.current) engine.cancel();
        return;
      }
      if (demoOnly.current && !isDemo) await closeAllRef.current();
      demoOnly.current = isDemo && openedRef.current.length === 0;
      busyRef.current = true;
      setBusy(true);
      performance.mark('ingest-start');
      const poll = setInterval(refresh, POLL_MS);
      // Progress comes over its own channel and may arrive after open() has returned.
      const onProgress = (p: IngestProgress) => busyRef.current && setProgress(p);
      try {
        const results = await engine.open(files, proxy(onProgress));
        performance.measure('ingest', 'ingest-start');
        // A file read again after a Cancel takes the place (and id) of its partial copy.
        setOpened((previous) => [...previous.filter((o) => !results.some((r) => r.replaced && r.id === o.id)), ...results]);
        const placed = await engine.overview();
        await marking.restore(results, placed.baseSec);
        // An incident bundle carries its own view; otherwise a shared link may be waiting for these files.
        const bundle = results.find((r) => r.bundleView);
        const refusedBundle = results.find((r) => r.bundleError);
        if (refusedBundle) setViewProblem(`${refusedBundle.bundleError} The view in ${refusedBundle.name} was not applied; its packets are open.`);
        if (bundle) await applyViewRef.current({ view: bundle.bundleView!, id: bundle.id, notices: bundle.bundleNotices ?? [] });
        else await applyViewRef.current();
        // Findings come after the ingest, from the worker, while the user already looks around.
        setFindings(null);
        const generation = openGeneration.current;
        engine
          .findings()
          .then(async (found) => {
            const lanes = await engine.overlays();
            // Captures closed meanwhile: these findings are of files no longer open.
            if (generation !== openGeneration.current) return;
            setFindings(found);
            timeline.current?.setOverlays(lanes);
          })
          .catch((error) => generation === openGeneration.current && setViewProblem(`Findings could not be computed: ${(error as Error).message}`));
      } catch (error) {
        // Whatever went wrong, said; what was open stays open, and the next files still open.
        setViewProblem(`Opening ${files.map((f) => f.name).join(', ')} did not finish: ${(error as Error).message}`);
      } finally {
        clearInterval(poll);
        await refresh();
        busyRef.current = false;
        setBusy(false);
        setProgress(null);
      }
      const next = queued.current.splice(0);
      setWaiting([]);
      if (next.length) await openFiles(next);
    },
    [engine, refresh, marking.restore],
  );

  /** Closes every capture: the page is as on a visit with nothing open (saved marks stay saved). */
  const closeAllRef = useRef(async () => {});
  /** Counts closes, so answers about captures closed meanwhile are dropped. */
  const openGeneration = useRef(0);
  closeAllRef.current = async () => {
    openGeneration.current++;
    await engine.closeAll();
    demoOnly.current = false;
    marking.known.clear();
    marking.setMarks([]);
    marking.setRanges([]);
    setOpened([]);
    setOffsets([]);
    setSelected(null);
    setDetails(null);
    setSeenAt(null);
    setFindings(null);
    setFilter(null);
    setWindow(null);
    timeline.current?.setOverlays([]);
    await refresh();
  };

  const openDemo = useCallback(
    async (firstVisit = false) => {
      try {
        const response = await fetch(DEMO_URL);
        if (!response.ok) throw new Error(`the server answered ${response.status}`);
        const blob = await response.blob();
        // Something given while the demo downloaded comes first: the demo is only a sample.
        if (firstVisit && (busyRef.current || openedRef.current.length)) return;
        await openFiles([new File([blob], 'field-story-1.pcap.gz')], firstVisit);
      } catch (error) {
        setViewProblem(`The demo capture could not be loaded (${(error as Error).message}).`);
      }
    },
    [openFiles],
  );

  // First visit: open the demo, so there is something to look at.
  useEffect(() => {
    // A shared view asks for its own captures: no demo then.
    if (readSetting('pt-visited') || location.hash.startsWith('#view=')) return;
    writeSetting('pt-visited', '1');
    openDemo(true);
  }, [openDemo]);

  const select = useCallback(
    async (index: number, scrollTimeline = true) => {
      const position = await engine.positionAt(index);
      setSelected({ index, position });
      setSelectError(null);
      let t: number;
      let packet: Awaited<ReturnType<typeof engine.packetAt>>;
      try {
        [t, packet] = await Promise.all([engine.timeOf(position), engine.packetAt(position)]);
        timeline.current?.setSelected(t, scrollTimeline);
        const part = packet.bytes.length < packet.capLen ? ` (the first ${packet.bytes.length.toLocaleString('en-US')} decoded)` : '';
        setDetails({ title: `Frame ${packet.frame}: ${packet.capLen.toLocaleString('en-US')} bytes captured${part}, ${packet.origLen.toLocaleString('en-US')} on the wire`, nodes: await engine.details(position), bytes: packet.bytes, capLen: packet.capLen, position });
      } catch (error) {
        // A capture changed or removed on disk since it was opened, for one: say so, show nothing stale.
        setDetails(null);
        setSelectError((error as Error).message);
        return;
      }
      setSeenAt(null);
      timeline.current?.setLinks([]);
      const others = await engine.seenAt(position, natRef.current);
      setSeenAt(others.length ? { here: openedRef.current.find((o) => o.id === packet.capture)?.name ?? '', others } : null);
      timeline.current?.setLinks(others.filter((o) => o.deltaSec !== null).map((o) => ({ fromSec: t, fromLane: packet.capture, toSec: t + o.deltaSec!, toLane: o.capture })));
    },
    [engine],
  );

  const openedRef = useRef(opened);
  openedRef.current = opened;
  const setClockOffset = useCallback(
    async (capture: number, seconds: number) => {
      setOffsets(await engine.setClockOffset(capture, seconds));
      setSelected(null);
      await refresh();
      timeline.current?.refresh();
    },
    [engine, refresh],
  );
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const jumpTo = useCallback(
    async (position: number) => {
      const index = await engine.indexOf(position);
      if (index >= 0) await select(index, true);
    },
    [engine, select],
  );
  /** The hex pane's next page of a huge record. */
  const moreBytes = useCallback(async () => {
    const d = details;
    if (!d || d.bytes.length >= d.capLen) return;
    try {
      const page = await engine.packetSlice(d.position, d.bytes.length, HEX_PAGE_BYTES);
      const joined = new Uint8Array(d.bytes.length + page.length);
      joined.set(d.bytes);
      joined.set(page, d.bytes.length);
      setDetails((current) => (current === d ? { ...d, bytes: joined } : current));
    } catch (error) {
      setSelectError((error as Error).message);
    }
  }, [engine, details]);
  const goToMarkRef = useRef((_forward: boolean) => {});
  goToMarkRef.current = async (forward: boolean) => {
    const from = selected ? await engine.timeOf(selected.position) : -Infinity;
    const mark = marking.step(from, forward);
    if (mark) jumpTo(mark.position);
  };
  useEffect(() => timeline.current?.setMarks(marking.marks.map((m) => m.timeSec), marking.ranges), [marking.marks, marking.ranges]);
  // Something to say about the marks (restored, cut, not kept): the panel opens to say it.
  useEffect(() => {
    if (marking.notice || marking.storageProblem) setMarksOpen(true);
  }, [marking.notice, marking.storageProblem]);

  const exportMarked = useCallback(async () => {
    const { blob, packets } = await engine.exportPicks('pcapng', marking.picks);
    download(blob, `marked-${packets}-packets.pcapng`);
  }, [engine, marking.picks]);

  // A shared view, once its captures are open: offsets, filter, marks, ranges, window, selection.
  applyViewRef.current = async (bundle?: { view: SharedView; id: number; notices: string[] }) => {
    const view = bundle?.view ?? shared.pending;
    if (!view) return;
    // A bundle's frames are its own (its view lists no captures); a link's are the open captures it matched.
    const ids = bundle ? [] : shared.match([...marking.known].map(([id, k]) => ({ id, ...k })));
    if (!ids) return;
    const of = (c: number) => (bundle ? bundle.id : (ids[c] ?? -1));
    for (const [i, c] of view.captures.entries()) if (c.offsetSec) setOffsets(await engine.setClockOffset(of(i), c.offsetSec));
    const base = (await engine.overview()).baseSec;
    if (view.filter) {
      setFilterText(view.filter);
      await applyFilter(view.filter);
    }
    await marking.applyView(view, of, base, bundle?.notices ?? shared.notices);
    if (view.marks.length || view.ranges.length) setMarksOpen(true);
    await refresh();
    // After the timeline has the new overview (its effect runs before ours), or it would clamp to the old extent.
    if (view.window) pendingZoom.current = { fromSec: view.window.from - base, toSec: view.window.to - base };
    if (view.selected) {
      const placed = (await engine.placeRows(Uint32Array.of(of(view.selected.c)), Uint32Array.of(view.selected.frame - 1))).positions[0];
      const index = placed >= 0 ? await engine.indexOf(placed) : -1;
      if (index >= 0) await select(index, false);
    }
    if (!bundle) shared.done();
  };

  const copyLink = useCallback(async () => {
    const open = [...marking.known].sort((a, b) => a[0] - b[0]);
    const index = new Map(open.map(([id], i) => [id, i]));
    const base = overview?.baseSec ?? 0;
    const viewport = timeline.current?.currentViewport;
    const packet = selected ? await engine.packetAt(selected.position) : null;
    const href = await shareLink({
      v: 1,
      captures: open.map(([id, k]) => ({ name: k.name, fingerprint: k.fingerprint, offsetSec: offsets[id] ?? 0 })),
      ...(viewport ? { window: { from: base + viewport.fromSec, to: base + viewport.toSec } } : {}),
      ...(filter?.text && !filter.error ? { filter: filter.text } : {}),
      marks: marking.marks.map((m) => ({ c: index.get(m.capture)!, frame: m.frame, note: m.note })),
      ranges: marking.ranges.map((r) => ({ from: base + r.fromSec, to: base + r.toSec, label: r.label, note: r.note, color: r.color })),
      ...(packet ? { selected: { c: index.get(packet.capture)!, frame: packet.frame } } : {}),
    });
    setLink(href);
    navigator.clipboard?.writeText(href).catch(() => {});
  }, [engine, marking.known, marking.marks, marking.ranges, overview, offsets, filter, selected]);

  /** Shift+click in the list: marks the run from the selected row to the clicked one (at most MAX_RUN rows). */
  const markRun = useCallback(
    async (index: number) => {
      const from = selected ? Math.min(selected.index, index) : index;
      const to = selected ? Math.max(selected.index, index) : index;
      await marking.addRun(from, Math.min(to, from + MAX_RUN - 1) + 1);
      setMarksOpen(true);
    },
    [selected, marking.addRun],
  );

  const exportBundle = useCallback(async () => {
    const packet = selected ? await engine.packetAt(selected.position) : null;
    const viewport = timeline.current?.currentViewport;
    const { blob } = await engine.exportBundle(marking.picks, marking.ranges, {
      ...(viewport ? { span: viewport } : {}),
      ...(filter?.text && !filter.error ? { filter: filter.text } : {}),
      ...(packet ? { selected: { capture: packet.capture, row: packet.frame - 1 } } : {}),
    });
    download(blob, `${(opened[0]?.name ?? 'capture').replace(/\.(pcapng|pcap)(\.gz)?$/i, '')}-incident.pcapng`);
  }, [engine, marking.picks, marking.ranges, selected, filter, opened]);

  const callbacks = useMemo(
    () => ({
      onPick: async (t: number) => {
        const index = await engine.nearest(t);
        if (index >= 0) select(index, false);
      },
      onWindow: async (span: Viewport | null) => setWindow(span ? { span, range: await engine.indexRange(span.fromSec, span.toSec) } : null),
    }),
    [engine, select],
  );

  useEffect(() => timeline.current?.setWindow(window?.span ?? null), [window]);
  useEffect(() => timeline.current?.setMode(mode), [mode]);
  useEffect(() => timeline.current?.setTheme(theme), [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = e.ctrlKey || e.metaKey;
      if (command && !e.altKey && e.key.toLowerCase() === 'm' && !e.shiftKey) {
        e.preventDefault();
        if (selectedRef.current) marking.toggle(selectedRef.current.position);
        return;
      }
      if (command && e.shiftKey && (e.key.toLowerCase() === 'n' || e.key.toLowerCase() === 'b')) {
        e.preventDefault();
        goToMarkRef.current(e.key.toLowerCase() === 'n');
        return;
      }
      if (isTextEntry(e.target)) {
        // Esc leaves the field (back to the list); every other key is the field's.
        if (e.key === 'Escape') {
          (e.target as HTMLElement).blur();
          document.querySelector<HTMLElement>('[data-testid="packet-table"]')?.focus();
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') setWindow(null);
      else if (e.key === 't' || e.key === 'T') setConversationsOpen((open) => !open);
      else if (e.key === 'f' || e.key === 'F') setFindingsOpen((open) => !open);
      else if (e.key === 'k' || e.key === 'K') setMarksOpen((open) => !open);
      else if (timeline.current?.key(e.key.toLowerCase())) e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  const applyFilter = useCallback(
    async (text: string) => {
      setFiltering(true);
      remember(text);
      const outcome = await engine.applyFilter(text);
      // null: a newer filter took over; it will report.
      if (!outcome) return;
      setFiltering(false);
      setFilter(outcome);
      if (outcome.error) return;
      setSelected(null);
      setVersion((v) => v + 1);
      if (window) setWindow({ span: window.span, range: await engine.indexRange(window.span.fromSec, window.span.toSec) });
      timeline.current?.refresh();
    },
    [engine, window, remember],
  );

  const goToFinding = useCallback(
    async (f: PlacedFinding) => {
      const index = await engine.indexOf(f.position);
      if (index >= 0) await select(index, false);
      // Its start, with at most a few seconds of what follows and some room before it.
      const span = Math.min(f.toSec - f.fromSec, FINDING_VIEW_SEC);
      const pad = Math.max(span * 0.1, 0.001);
      timeline.current?.zoomTo({ fromSec: f.fromSec - pad, toSec: f.fromSec + span + pad });
    },
    [engine, select],
  );

  const filterFromConversation = useCallback(
    (text: string) => {
      setFilterText(text);
      applyFilter(text);
    },
    [applyFilter],
  );

  /** A failed action, said in the notice bar instead of an unhandled rejection. */
  const sayFailure = (what: string) => (error: unknown) => setViewProblem(`${what} failed: ${(error as Error).message}`);

  const packets = overview?.packets ?? 0;
  const shown = filter && !filter.error && filter.text ? filter.matched : packets;
  const [listStart, listEnd] = window ? window.range : [0, shown];
  const origin = overview?.origin ?? { sec: 0, ns: 0 };

  return (
    <FileDrop onFiles={openFiles}>
      <header className="topbar">
        <h1>Packet Timeline</h1>
        <span className="tagline">Read in this tab. Nothing is uploaded.</span>
        <button type="button" onClick={() => setMode(mode === 'wall' ? 'relative' : 'wall')} title="Toggle wall-clock and relative time">
          {mode === 'wall' ? 'Wall clock' : 'Relative'}
        </button>
        <button type="button" onClick={() => setThemeName(themeName === 'light' ? 'dark' : 'light')} title="Light or dark">
          {themeName === 'light' ? 'Dark' : 'Light'}
        </button>
        <button
          type="button"
          disabled={packets === 0}
          title="Save the timeline as drawn now (lanes, marks) as PNG and SVG"
          onClick={async () => {
            const name = (opened[0]?.name ?? 'capture').replace(/\.(pcapng|pcap)(\.gz)?$/i, '');
            const image = await timeline.current?.image();
            if (image) download(image, `${name}-timeline.png`);
            const svg = timeline.current?.svg();
            if (svg) download(svg, `${name}-timeline.svg`);
          }}
        >
          Save image
        </button>
        <button type="button" onClick={() => copyLink().catch(sayFailure('Copy link'))} disabled={packets === 0 || busy} title="A link to this view: captures (by name and fingerprint), window, filter, marks and notes, selection. No packet bytes.">
          Copy link
        </button>
        <button type="button" onClick={() => openDemo()} disabled={busy}>
          Demo capture
        </button>
        <button type="button" onClick={() => closeAllRef.current()} disabled={busy || opened.length === 0} title="Close every open capture (marks stay saved in this browser)">
          Close all
        </button>
        <label
          className="button primary"
          tabIndex={0}
          role="button"
          // The input itself is hidden: Tab reaches the label, Enter or Space opens the dialog.
          onKeyDown={(e) => {
            if (e.key !== 'Enter' && e.key !== ' ') return;
            e.preventDefault();
            e.currentTarget.querySelector('input')?.click();
          }}
        >
          Open captures…
          <input
            data-testid="file-input"
            type="file"
            multiple
            hidden
            onChange={(e) => {
              openFiles(Array.from(e.currentTarget.files ?? []));
              // The same file again (after a Cancel, say) must fire a change too.
              e.currentTarget.value = '';
            }}
          />
        </label>
      </header>
      {progress && <IngestProgressBar progress={progress} onCancel={() => engine.cancel()} />}
      {waiting.length > 0 && (
        <div className="notice-bar" role="status" data-testid="waiting">
          Opens next, when this read ends: {waiting.join(', ')}
        </div>
      )}
      {shared.refused && (
        <div className="notice-bar problem" role="alert" data-testid="link-refused">
          {shared.refused} The view was not applied; nothing else changed.
          <button type="button" onClick={shared.dismissRefusal}>
            Dismiss
          </button>
        </div>
      )}
      {viewProblem && (
        <div className="notice-bar problem" role="alert" data-testid="view-problem">
          {viewProblem}
          <button type="button" onClick={() => setViewProblem(null)}>
            Dismiss
          </button>
        </div>
      )}
      {link && (
        <div className="share-bar">
          Link to this view (copied if the browser allowed it): <input data-testid="share-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => setLink(null)}>
            Close
          </button>
        </div>
      )}
      {shared.pending && (
        <ErrorBoundary name="the shared view" actions={<button type="button" onClick={shared.done}>Forget the view</button>}>
          <SharedViewBanner view={shared.pending} problem={shared.problem} notices={shared.notices} />
        </ErrorBoundary>
      )}
      <CaptureStrip opened={opened} packets={packets} offsets={offsets} onOffset={setClockOffset} />
      {packets === 0 && !busy ? (
        <section className="empty">
          <h2>Drop pcap or pcapng files anywhere</h2>
          <p>One or several, gzip-compressed or not, multi-GB included. They are read in chunks by a web worker and never leave this machine.</p>
          <p>
            <button type="button" onClick={() => openDemo()}>
              Open the demo capture
            </button>{' '}
            — a bond that went down: a TX storm, an ARP that is never answered, LACP expiring.
          </p>
        </section>
      ) : (
        <main className="workbench">
          <ErrorBoundary name="the timeline">
            <Timeline source={engine} overview={overview} callbacks={callbacks} theme={theme} onReady={(c) => (timeline.current = c)} />
          </ErrorBoundary>
          {window && (
            <WindowBar
              span={window.span}
              packets={listEnd - listStart}
              filtered={Boolean(filter?.text && !filter.error)}
              onZoom={() => timeline.current?.zoomTo(window.span)}
              onClear={() => setWindow(null)}
              onMarkRange={(label) => {
                marking.setRanges((previous) => [...previous, { fromSec: window.span.fromSec, toSec: window.span.toSec, label: label || `range ${previous.length + 1}`, note: '', color: RANGE_COLORS[previous.length % RANGE_COLORS.length] }]);
                setMarksOpen(true);
              }}
            />
          )}
          <FilterBar
            text={filterText}
            onText={setFilterText}
            history={history}
            outcome={filter}
            busy={filtering}
            onApply={applyFilter}
          >
            <button type="button" className={findingsOpen ? 'pressed' : undefined} aria-pressed={findingsOpen} onClick={() => setFindingsOpen((open) => !open)} title="What happened, in lines (F)">
              Findings{findings ? ` (${findings.length})` : ''}
            </button>
            <button type="button" className={conversationsOpen ? 'pressed' : undefined} aria-pressed={conversationsOpen} onClick={() => setConversationsOpen((open) => !open)} title="Top talkers (T)">
              Conversations
            </button>
            <button type="button" className={marksOpen ? 'pressed' : undefined} aria-pressed={marksOpen} onClick={() => setMarksOpen((open) => !open)} title="Marked packets and ranges (K)">
              Marks{marking.marks.length + marking.ranges.length ? ` (${marking.marks.length + marking.ranges.length})` : ''}
            </button>
            <ExportButton
              engine={engine}
              from={listStart}
              to={listEnd}
              baseName={(opened[0]?.name ?? 'capture').replace(/\.(pcapng|pcap)(\.gz)?$/i, '')}
              marked={marking.picks}
              ranges={marking.ranges}
            />
          </FilterBar>
          {marksOpen && (
            <ErrorBoundary name="the marks" resetKey={marking.marks}>
            <MarksPanel
              marks={marking.marks}
              ranges={marking.ranges}
              baseSec={overview?.baseSec ?? 0}
              mode={mode}
              origin={origin}
              notice={marking.notice}
              storageProblem={marking.storageProblem}
              saved={marking.saved}
              fromView={marking.fromView}
              onKeep={marking.keepViewMarks}
              onSaveFile={() => download(new Blob([marksFileText(marking.marks, marking.ranges, overview?.baseSec ?? 0)], { type: 'application/json' }), `${(opened[0]?.name ?? 'capture').replace(/\.(pcapng|pcap)(\.gz)?$/i, '')}-marks.json`)}
              onJump={(m) => jumpTo(m.position)}
              onJumpRange={(r) => timeline.current?.zoomTo({ fromSec: r.fromSec, toSec: r.toSec })}
              onNote={marking.setNote}
              onRangeNote={(r, note) => marking.setRanges((all) => all.map((x) => (x === r ? { ...x, note } : x)))}
              onRangeColor={(r, color) => marking.setRanges((all) => all.map((x) => (x === r ? { ...x, color } : x)))}
              onRemove={marking.remove}
              onRemoveRange={(r) => marking.setRanges((all) => all.filter((x) => x !== r))}
              onExport={() => exportMarked().catch(sayFailure('Export of the marked packets'))}
              onBundle={() => exportBundle().catch(sayFailure('The incident bundle'))}
            />
            </ErrorBoundary>
          )}
          {findingsOpen && (
            <ErrorBoundary name="the findings" resetKey={findings}>
              <FindingsPanel findings={findings} mode={mode} origin={origin} onPick={goToFinding} />
            </ErrorBoundary>
          )}
          {conversationsOpen && (
            <ErrorBoundary name="the conversations">
              <ConversationsPanel engine={engine} packets={packets} filterText={filter?.error ? '' : (filter?.text ?? '')} onFilter={filterFromConversation} mode={mode} origin={origin} />
            </ErrorBoundary>
          )}
          <ErrorBoundary name="the packet list" resetKey={version}>
          <PacketList fetchRows={engine.listRows} listStart={listStart} listEnd={listEnd} version={version} selected={selected?.index ?? null} onSelect={(i) => select(i)} onRun={markRun} mode={mode} origin={origin} captureNames={opened.filter((o) => o.id >= 0).map((o) => o.name)} />
          </ErrorBoundary>
          {seenAt && (
            <SeenAtBar
              here={seenAt.here}
              others={seenAt.others}
              nat={nat}
              onNat={(on) => {
                natRef.current = on;
                setNat(on);
                if (selected) select(selected.index, false);
              }}
              onAlign={(capture, deltaSec) => setClockOffset(capture, (offsets[capture] ?? 0) - deltaSec)}
            />
          )}
          <ErrorBoundary name="the packet details" resetKey={details}>
            <div className="inspector">
              {selectError ? (
                <div className="details details-error" role="alert" data-testid="details-error">
                  {selectError}. {/changed on disk/.test(selectError) ? 'Open the file again to read what it holds now.' : ''}
                </div>
              ) : (
                <DetailsPane title={details?.title ?? ''} nodes={details?.nodes ?? null} onHover={setHoverRange} />
              )}
              <HexPane key={details?.position ?? -1} bytes={details?.bytes ?? null} highlight={hoverRange} capLen={details?.capLen ?? 0} onMore={moreBytes} />
            </div>
          </ErrorBoundary>
        </main>
      )}
    </FileDrop>
  );
}

/** Fields that take typed keys: single-key shortcuts stay out of them. */
function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
}
