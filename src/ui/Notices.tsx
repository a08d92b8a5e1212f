import type { ViewerModel } from './app/viewer-model.ts';
import type { ViewerState } from './app/viewer-state.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { IngestProgressBar } from './IngestProgressBar.tsx';
import { SharedViewBanner } from './share/SharedViewBanner.tsx';

/** What the page has to say above the captures: the read in progress, what waits, what went wrong. */
export function Notices({ model, state }: { model: ViewerModel; state: ViewerState }) {
  const { reading, waiting, shared } = state;
  return (
    <>
      {state.progress && <IngestProgressBar progress={state.progress} onCancel={() => model.cancelRead()} />}
      {waiting.length > 0 && (
        <div className="notice-bar" role="status" data-testid="waiting">
          {waiting.map((w, i) => (
            <span key={i}>
              {reading?.demo && i === 0 ? (
                <>The demo is cancelled: {w.names.join(', ')} opens instead.</>
              ) : (
                <>
                  {w.names.join(', ')} {w.names.length === 1 ? 'opens' : 'open'}{' '}
                  {i === 0 ? `when ${reading?.names.join(', ') ?? 'this read'} is read` : 'after that'},{' '}
                  {w.how === 'replace' ? 'in place of what is open.' : 'added to what is open.'}{' '}
                  <button type="button" onClick={() => model.setWaitingHow(i, w.how === 'replace' ? 'add' : 'replace')}>
                    {w.how === 'replace' ? 'Add instead' : 'Replace instead'}
                  </button>
                  {i === 0 && (
                    <button
                      type="button"
                      onClick={() => model.openWaitingNow()}
                      title="Cancel the read in progress (what was read is kept, unless it is replaced)"
                    >
                      Open now
                    </button>
                  )}
                </>
              )}
            </span>
          ))}
        </div>
      )}
      {shared.refused && (
        <div className="notice-bar problem" role="alert" data-testid="link-refused">
          {shared.refused} The view was not applied; nothing else changed.
          <button type="button" onClick={() => model.shared.dismissRefusal()}>
            Dismiss
          </button>
        </div>
      )}
      {state.problem && (
        <div className="notice-bar problem" role="alert" data-testid="view-problem">
          {state.problem}
          <button type="button" onClick={() => model.dismissProblem()}>
            Dismiss
          </button>
        </div>
      )}
      {state.link && (
        <div className="share-bar">
          Link to this view (copied if the browser allowed it):{' '}
          <input data-testid="share-link" readOnly value={state.link} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => model.closeLink()}>
            Close
          </button>
        </div>
      )}
      {shared.pending && (
        <ErrorBoundary
          name="the shared view"
          actions={
            <button type="button" onClick={() => model.shared.done()}>
              Forget the view
            </button>
          }
        >
          <SharedViewBanner view={shared.pending} problem={shared.problem} notices={shared.notices} />
        </ErrorBoundary>
      )}
    </>
  );
}
