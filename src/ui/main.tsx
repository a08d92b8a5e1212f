import { createRoot } from 'react-dom/client';
import { Activity } from './app/activity.ts';
import { browserEngine } from './app/browser-engine.ts';
import { browserPlatform } from './app/browser-platform.ts';
import { publishIdle } from './app/idle-signal.ts';
import { ViewerModel } from './app/viewer-model.ts';
import { App } from './App.tsx';
import { startEngine } from './engine.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import './app.css';

/** Reloads without the shared view in the address bar: the way out of a view that breaks the page. */
function reloadWithoutView() {
  history.replaceState(null, '', location.pathname + location.search);
  location.reload();
}

const activity = new Activity();
const model = new ViewerModel({ engine: browserEngine(startEngine(), activity), platform: browserPlatform, activity });
publishIdle(activity, model);

createRoot(document.getElementById('root')!).render(
  <ErrorBoundary
    name="Packet Timeline"
    actions={
      <>
        <button type="button" onClick={() => location.reload()}>
          Reload
        </button>
        <button type="button" onClick={reloadWithoutView}>
          Close captures and the shared view
        </button>
      </>
    }
  >
    <App model={model} />
  </ErrorBoundary>,
);
void model.start();
