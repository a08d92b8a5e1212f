/** Hands a Blob to the browser as a download: nothing leaves the machine. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The download has started by then; the URL only keeps the Blob alive.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The browser offers File System Access (a file the user picks, written in chunks). */
export function canPickFile(): boolean {
  return typeof savePicker() === 'function';
}

function savePicker(): SaveFilePicker | undefined {
  return (window as unknown as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
}

type SaveFilePicker = (options: { suggestedName: string; types: { description: string; accept: Record<string, string[]> }[] }) => Promise<FileSystemFileHandle>;

/**
 * Where the browser offers File System Access (Chromium), the file the user picks for an
 * export: the worker then writes it chunk by chunk, and an export of any size holds no
 * memory. Undefined where the browser does not offer it (a download then), null when the
 * user closed the dialog. Must be called from the click itself (a user gesture).
 */
export async function pickSaveFile(suggestedName: string): Promise<FileSystemFileHandle | null | undefined> {
  const picker = savePicker();
  if (typeof picker !== 'function') return undefined;
  const extension = suggestedName.slice(suggestedName.lastIndexOf('.'));
  try {
    return await picker({ suggestedName, types: [{ description: 'Packet capture', accept: { 'application/vnd.tcpdump.pcap': [extension] } }] });
  } catch (error) {
    if ((error as Error).name === 'AbortError') return null;
    throw error;
  }
}
