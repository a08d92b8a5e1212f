/** What the model's parts share: the state, the session, the page around them, the timeline. */
import type { TimelineController } from '../timeline/timeline-controller.ts';
import type { Activity } from './activity.ts';
import type { ViewerEngine } from './engine-port.ts';
import type { Platform } from './platform.ts';
import type { Store } from './store.ts';
import type { ViewerState } from './viewer-state.ts';

/** The calls the model makes on the timeline (its controller); absent while none is on the page. */
export type TimelinePort = Pick<
  TimelineController,
  | 'setOverview'
  | 'setOverlays'
  | 'setMarks'
  | 'setSelected'
  | 'setLinks'
  | 'setWindow'
  | 'setMode'
  | 'setTheme'
  | 'zoomTo'
  | 'refresh'
  | 'key'
  | 'currentViewport'
  | 'image'
  | 'svg'
>;

export interface ModelContext {
  readonly store: Store<ViewerState>;
  readonly engine: ViewerEngine;
  readonly platform: Platform;
  readonly activity: Activity;
  readonly timeline: TimelinePort | null;
}
