import { useState, type ReactNode } from 'react';

/** The whole window is a drop target. */
export function FileDrop({ onFiles, disabled, children }: { onFiles: (files: File[]) => void; disabled: boolean; children: ReactNode }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={over ? 'app dragging' : 'app'}
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!disabled) onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      {children}
    </div>
  );
}
