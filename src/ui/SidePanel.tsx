import type { ViewerModel } from './app/viewer-model.ts';
import type { ViewerState } from './app/viewer-state.ts';
import { ConversationsPanel } from './ConversationsPanel.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { FindingsPanel } from './FindingsPanel.tsx';
import { MarksPanel } from './marks/MarksPanel.tsx';

const TITLES = { findings: 'Findings', conversations: 'Conversations', marks: 'Marks' } as const;

/** Findings, Conversations or Marks, beside the list so that the list keeps its height. */
export function SidePanel({ model, state }: { model: ViewerModel; state: ViewerState }) {
  const { panel, mode, marks } = state;
  if (!panel) return null;
  const origin = state.overview?.origin ?? { sec: 0, ns: 0 };
  const baseSec = state.overview?.baseSec ?? 0;
  return (
    <aside className="side-panel" aria-label={TITLES[panel]}>
      <div className="side-head">
        <strong>{TITLES[panel]}</strong>
        <button type="button" className="close" onClick={() => model.togglePanel(panel)} aria-label={`Close ${TITLES[panel]}`} title="Close the panel">
          ×
        </button>
      </div>
      <div className="side-body">
        {panel === 'findings' && (
          <ErrorBoundary name="the findings" resetKey={state.findings}>
            <FindingsPanel findings={state.findings} mode={mode} origin={origin} onPick={(f) => model.goToFinding(f)} />
          </ErrorBoundary>
        )}
        {panel === 'conversations' && (
          <ErrorBoundary name="the conversations" resetKey={state.conversations.table}>
            <ConversationsPanel
              state={state.conversations}
              mode={mode}
              origin={origin}
              onKind={(kind) => model.conversations.choose({ kind })}
              onBy={(by) => model.conversations.choose({ by })}
              onOnly={(text) => model.applyFilter(text)}
              onExclude={(c) => model.conversations.exclude(c)}
            />
          </ErrorBoundary>
        )}
        {panel === 'marks' && (
          <ErrorBoundary name="the marks" resetKey={marks.marks}>
            <MarksPanel
              marks={marks.marks}
              ranges={marks.ranges}
              baseSec={baseSec}
              mode={mode}
              origin={origin}
              notice={marks.notice}
              storageProblem={marks.storageProblem}
              saved={marks.saved}
              fromView={marks.marks.filter((m) => m.fromView).length + marks.ranges.filter((r) => r.fromView).length}
              onKeep={() => model.marks.keepViewMarks()}
              onSaveFile={() => model.exports.marksFile()}
              onJump={(m) => model.selection.jumpTo(m.position)}
              onJumpRange={(r) => model.zoomTo({ fromSec: r.fromSec, toSec: r.toSec })}
              onNote={(m, note) => model.marks.setNote(m, note)}
              onRangeNote={(r, note) => model.marks.editRange(r, { note })}
              onRangeColor={(r, color) => model.marks.editRange(r, { color })}
              onRemove={(m) => model.marks.remove(m)}
              onRemoveRange={(r) => model.marks.removeRange(r)}
              onExport={() => model.exportMarked()}
              onBundle={() => model.exportBundle()}
            />
          </ErrorBoundary>
        )}
      </div>
    </aside>
  );
}
