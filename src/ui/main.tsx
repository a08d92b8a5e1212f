import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import './app.css';

/** Reloads without the shared view in the address bar: the way out of a view that breaks the page. */
function reloadWithoutView() {
  history.replaceState(null, '', location.pathname + location.search);
  location.reload();
}

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
    <App />
  </ErrorBoundary>,
);
