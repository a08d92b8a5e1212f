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
