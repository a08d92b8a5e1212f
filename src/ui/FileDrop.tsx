import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { OpenHow } from './app/viewer-state.ts';

/**
 * The whole window is a drop target, always (files dropped during a read wait for it, see
 * app/opening.ts). A plain drop replaces what is open; while dragging, a second target
 * "add to this view" merges the files into the open captures instead.
 */
export function FileDrop({ canAdd, onFiles, children }: { canAdd: boolean; onFiles: (files: File[], how: OpenHow) => void; children: ReactNode }) {
  const [over, setOver] = useState<OpenHow | null>(null);
  // dragenter/dragleave fire for every child crossed: count them to know when the drag left the window.
  const depth = useRef(0);
  const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  const drop = (how: OpenHow) => (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    depth.current = 0;
    setOver(null);
    onFiles(Array.from(e.dataTransfer.files), how);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop zone for the pointer; the keyboard opens files with Open captures… and Add captures…
    <div
      className="app"
      onDragEnter={(e) => {
        if (!carriesFiles(e)) return;
        depth.current++;
        setOver((o) => o ?? 'replace');
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
      }}
      onDragLeave={() => {
        if (--depth.current <= 0) setOver(null);
      }}
      onDrop={drop('replace')}
    >
      {children}
      {over && (
        <div className="drop-overlay" data-testid="drop-overlay">
          {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target shown only while dragging */}
          <div
            className={`drop-target${over === 'replace' ? ' active' : ''}`}
            data-testid="drop-open"
            onDragOver={() => setOver('replace')}
            onDrop={drop('replace')}
          >
            <strong>Open</strong>
            <span>{canAdd ? 'in place of what is open (its marks stay saved)' : 'pcap, pcapng, gzip-compressed or not'}</span>
          </div>
          {canAdd && (
            // biome-ignore lint/a11y/noStaticElementInteractions: a drop target shown only while dragging
            <div className={`drop-target${over === 'add' ? ' active' : ''}`} data-testid="drop-add" onDragOver={() => setOver('add')} onDrop={drop('add')}>
              <strong>Add to this view</strong>
              <span>merged with the open captures, on one timeline</span>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
