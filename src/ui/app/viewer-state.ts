/** The viewer's whole state, as the model keeps it and React renders it. */
import type { ConversationKind } from '../../session/contract.ts';
import type { OverlayLane } from '../../session/contract.ts';
import type { DetailNode } from '../../session/contract.ts';
import type { ExportFormat } from '../../session/contract.ts';
import type { ExportProgress } from '../../session/contract.ts';
import type { ConversationTable, FilterOutcome, IngestProgress, OpenedCapture, Overview, PlacedFinding, SeenAt } from '../../session/contract.ts';
import type { SharedView } from '../../share/view-link.ts';
import type { UiMark, UiRange } from '../marks/mark-set.ts';
import type { TimeMode } from '../timeline/time-labels.ts';
import type { Viewport } from '../timeline/viewport.ts';
import type { ThemeName } from '../theme.ts';

export type PanelName = 'findings' | 'conversations' | 'marks';

/** Open replaces what is open; Add merges into it. */
export type OpenHow = 'replace' | 'add';

/** A line of the capture strip: an open capture, or a file that could not be opened. */
export type StripEntry = OpenedCapture & { demo?: boolean };

export interface SelectedPacket {
  /** Its row in the list (the view), and, once the worker has answered, where it is. */
  index: number;
  packet: { position: number; capture: number; frame: number; timeSec: number } | null;
}

export interface PacketDetails {
  title: string;
  nodes: DetailNode[];
  bytes: Uint8Array;
  /** The packet's captured length: more than `bytes` holds for a huge record. */
  capLen: number;
  position: number;
}

export interface MarksState {
  marks: UiMark[];
  ranges: UiRange[];
  notice: string | null;
  /** Why marks are not being kept in this browser, or null while they are. */
  storageProblem: string | null;
  /** Nothing is waiting to be written. */
  saved: boolean;
}

export interface SharedViewState {
  /** A view from the address bar, waiting for its captures. */
  pending: SharedView | null;
  /** What the validator cut from it, said when it is applied. */
  notices: string[];
  /** Why it is not applied yet (its captures not open). */
  problem: string | null;
  /** Why the link was refused. */
  refused: string | null;
}

export type ExportWhat = 'shown' | 'marked' | 'marked-ranges';

export interface ExportState {
  format: ExportFormat;
  what: ExportWhat;
  progress: ExportProgress | null;
  error: string | null;
}

export interface ConversationsState {
  kind: ConversationKind;
  by: 'packets' | 'bytes';
  table: ConversationTable | null;
  problem: string | null;
}

export interface ViewerState {
  theme: ThemeName;
  mode: TimeMode;
  /** The open captures, in the strip's order (and lines for files that could not be opened). */
  opened: StripEntry[];
  overview: Overview | null;
  /** Clock offsets by capture id, in seconds. */
  offsets: number[];
  progress: IngestProgress | null;
  /** What is being read: the demo (cancelled for anything the user gives) or the user's own files. */
  reading: { demo: boolean; names: string[] } | null;
  /** Files given during a read: they open after it, in order. */
  waiting: { names: string[]; how: OpenHow }[];
  /** Changes when the rows behind list positions may have changed. */
  version: number;
  filterText: string;
  filter: FilterOutcome | null;
  filtering: boolean;
  /** Applied filters, newest first. */
  history: string[];
  /** A time window chosen on the timeline: the list shows its rows. */
  window: { span: Viewport; range: [number, number] } | null;
  selected: SelectedPacket | null;
  details: PacketDetails | null;
  selectError: string | null;
  seenAt: { here: string; others: SeenAt[] } | null;
  /** Match packets across NAT: addresses and ports left out. */
  nat: boolean;
  findings: PlacedFinding[] | null;
  overlays: OverlayLane[];
  /** The side panel shown, if any. */
  panel: PanelName | null;
  /** The details pane: shown while a packet is selected ('auto'), or as the user chose. */
  detailsPane: 'auto' | 'open' | 'closed';
  conversations: ConversationsState;
  marks: MarksState;
  exporting: ExportState;
  /** The last link made by Copy link. */
  link: string | null;
  shared: SharedViewState;
  /** Something that went wrong, said above everything until dismissed. */
  problem: string | null;
}

export function initialState(theme: ThemeName, history: string[]): ViewerState {
  return {
    theme,
    mode: 'wall',
    opened: [],
    overview: null,
    offsets: [],
    progress: null,
    reading: null,
    waiting: [],
    version: 0,
    filterText: '',
    filter: null,
    filtering: false,
    history,
    window: null,
    selected: null,
    details: null,
    selectError: null,
    seenAt: null,
    nat: false,
    findings: null,
    overlays: [],
    panel: 'findings',
    detailsPane: 'auto',
    conversations: { kind: 'flow', by: 'packets', table: null, problem: null },
    marks: { marks: [], ranges: [], notice: null, storageProblem: null, saved: true },
    exporting: { format: 'pcapng', what: 'shown', progress: null, error: null },
    link: null,
    shared: { pending: null, notices: [], problem: null, refused: null },
    problem: null,
  };
}

/** The list rows shown: the window's, else the filter's matches, else every packet. */
export function listRange(s: ViewerState): [number, number] {
  if (s.window) return s.window.range;
  const packets = s.overview?.packets ?? 0;
  return [0, s.filter && !s.filter.error && s.filter.text ? s.filter.matched : packets];
}

/** The name exports and images are saved under: the first capture's, without its extension. */
export function baseName(s: ViewerState): string {
  return (s.opened.find((o) => o.id >= 0)?.name ?? 'capture').replace(/\.(pcapng|pcap)(\.gz)?$/i, '');
}

/** The filter in force, if any (applied, without error). */
export function activeFilter(s: ViewerState): string {
  return s.filter && !s.filter.error ? s.filter.text : '';
}

/** The open captures in id order: the timeline's capture lanes, one each, in this order. */
export function captureLanes(s: Pick<ViewerState, 'opened'>): { id: number; name: string }[] {
  return s.opened
    .filter((o) => o.id >= 0)
    .sort((a, b) => a.id - b.id)
    .map((o) => ({ id: o.id, name: o.name }));
}

/** The details pane takes room only once a packet is selected, or when the user opened it. */
export function detailsShown(s: ViewerState): boolean {
  return s.detailsPane === 'open' || (s.detailsPane === 'auto' && (s.selected !== null || s.selectError !== null));
}
