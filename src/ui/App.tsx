import { useEffect } from 'react';
import { bindKeys } from './app/keyboard.ts';
import { KEYS } from './app/keys.ts';
import { useViewer } from './app/use-viewer.ts';
import type { ViewerModel } from './app/viewer-model.ts';
import { CaptureStrip } from './CaptureStrip.tsx';
import { FileDrop } from './FileDrop.tsx';
import { Notices } from './Notices.tsx';
import { FilePicker, TopBar } from './TopBar.tsx';
import { Workbench } from './Workbench.tsx';

/** The page's layout: commands, notices, the open captures, then the workbench (or, with nothing open, how to start). */
export function App({ model }: { model: ViewerModel }) {
  const state = useViewer(model);
  useEffect(() => bindKeys(model), [model]);
  const packets = state.overview?.packets ?? 0;
  return (
    <FileDrop canAdd={packets > 0} onFiles={(files, how) => model.open(files, how)}>
      <TopBar model={model} state={state} />
      <Notices model={model} state={state} />
      <CaptureStrip
        opened={state.opened}
        packets={packets}
        offsets={state.offsets}
        reading={state.reading !== null}
        onOffset={(c, s) => model.setClockOffset(c, s)}
        onClose={(o) => model.close(o)}
      />
      {packets === 0 && !state.reading ? (
        <section className="empty" data-testid="empty">
          <h2>Drop pcap or pcapng files anywhere</h2>
          <p>One or several, gzip-compressed or not, multi-GB included. They are read in chunks by a web worker and never leave this machine.</p>
          <p>
            <FilePicker
              label="Choose captures…"
              testId="empty-file-input"
              primary
              title="Open pcap or pcapng files (gzip too)"
              onFiles={(files) => model.open(files, 'replace')}
            />
          </p>
          <p>
            <button type="button" onClick={() => model.openDemo()}>
              Open the demo capture
            </button>{' '}
            — a bond that went down: a TX storm, an ARP that is never answered, LACP expiring.
          </p>
          <p className="keys">
            Keys:{' '}
            {KEYS.map((k) => (
              <span key={k.label}>
                <kbd>{k.label}</kbd> {k.what}
              </span>
            ))}
          </p>
        </section>
      ) : (
        <Workbench model={model} state={state} />
      )}
    </FileDrop>
  );
}
