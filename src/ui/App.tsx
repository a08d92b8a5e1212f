import { proxy } from 'comlink';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Stats } from '../store/summary.ts';
import type { IngestProgress, OpenedCapture } from '../store/workspace.ts';
import { startEngine } from './engine.ts';
import { FileDrop } from './FileDrop.tsx';
import { IngestProgressBar } from './IngestProgressBar.tsx';
import { StatsPanel } from './StatsPanel.tsx';

export function App() {
  const engine = useMemo(startEngine, []);
  const [progress, setProgress] = useState<IngestProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<OpenedCapture[]>([]);
  const [stats, setStats] = useState<Stats | null>(null);
  const busyRef = useRef(false);

  const openFiles = useCallback(
    async (files: File[]) => {
      if (busyRef.current || files.length === 0) return;
      busyRef.current = true;
      setBusy(true);
      performance.mark('ingest-start');
      try {
        const results = await engine.open(files, proxy(setProgress));
        performance.measure('ingest', 'ingest-start');
        setOpened((previous) => [...previous, ...results]);
        setStats(await engine.stats());
      } finally {
        busyRef.current = false;
        setBusy(false);
        setProgress(null);
      }
    },
    [engine],
  );

  return (
    <FileDrop onFiles={openFiles} disabled={busy}>
      <header className="topbar">
        <h1>Packet Timeline</h1>
        <span className="tagline">Captures are read in this tab. Nothing is uploaded.</span>
        <label className="button">
          Open captures…
          <input data-testid="file-input" type="file" multiple hidden onChange={(e) => openFiles(Array.from(e.currentTarget.files ?? []))} />
        </label>
      </header>
      <main>
        {progress && <IngestProgressBar progress={progress} onCancel={() => engine.cancel()} />}
        {!busy && opened.length === 0 && (
          <section className="empty">
            <h2>Drop pcap or pcapng files anywhere</h2>
            <p>Several files at once, gzip-compressed or not, multi-GB included: they are read in chunks by a web worker and never leave this machine.</p>
          </section>
        )}
        <StatsPanel opened={opened} stats={stats} />
      </main>
    </FileDrop>
  );
}
