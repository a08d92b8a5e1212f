import { useRef } from 'react';
import type { ViewerModel } from './app/viewer-model.ts';
import type { ViewerState } from './app/viewer-state.ts';

/** The page's commands: open, add, the demo, close; time mode, theme, image, link. */
export function TopBar({ model, state }: { model: ViewerModel; state: ViewerState }) {
  const packets = state.overview?.packets ?? 0;
  const reading = state.reading !== null;
  return (
    <header className="topbar">
      <h1>Packet Timeline</h1>
      <FilePicker
        label="Open captures…"
        testId="file-input"
        primary
        title="Open pcap or pcapng files (gzip too) in place of what is open"
        onFiles={(files) => model.open(files, 'replace')}
      />
      <FilePicker
        label="Add captures…"
        testId="add-input"
        title="Merge more captures into this view, on one timeline"
        onFiles={(files) => model.open(files, 'add')}
      />
      <button type="button" onClick={() => model.openDemo()} title="The demo capture alone: a bond that went down (field story 1)">
        Demo
      </button>
      <button
        type="button"
        onClick={() => model.closeAll()}
        disabled={reading || state.opened.length === 0}
        title="Close every open capture (marks stay saved in this browser)"
      >
        Close all
      </button>
      <span className="tagline">Read in this tab. Nothing is uploaded.</span>
      <button type="button" onClick={() => model.toggleMode()} title="Toggle wall-clock and relative time">
        {state.mode === 'wall' ? 'Wall clock' : 'Relative'}
      </button>
      <button type="button" onClick={() => model.toggleTheme()} title="Light or dark">
        {state.theme === 'light' ? 'Dark' : 'Light'}
      </button>
      <button type="button" disabled={packets === 0} title="Save the timeline as drawn now (lanes, marks) as PNG and SVG" onClick={() => model.exports.image()}>
        Save image
      </button>
      <button
        type="button"
        onClick={() => model.copyLink()}
        disabled={packets === 0 || reading}
        title="A link to this view: captures (by name and fingerprint), window, filter, marks and notes, selection. No packet bytes."
      >
        Copy link
      </button>
    </header>
  );
}

/** A button that opens a file dialog (its input is hidden): Tab reaches it, Enter or Space opens the dialog. */
export function FilePicker({
  label,
  testId,
  primary,
  title,
  onFiles,
}: {
  label: string;
  testId: string;
  primary?: boolean;
  title: string;
  onFiles: (files: File[]) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={primary ? 'primary' : undefined} title={title} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        data-testid={testId}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          onFiles(Array.from(e.currentTarget.files ?? []));
          // The same file again (after a Cancel, say) must fire a change too.
          e.currentTarget.value = '';
        }}
      />
    </>
  );
}
