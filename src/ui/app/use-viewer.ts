/** React's view of the model: the snapshot, re-rendered when it changes. */
import { useSyncExternalStore } from 'react';
import type { ViewerModel } from './viewer-model.ts';
import type { ViewerState } from './viewer-state.ts';

export function useViewer(model: ViewerModel): ViewerState {
  return useSyncExternalStore(model.subscribe, model.getSnapshot);
}
