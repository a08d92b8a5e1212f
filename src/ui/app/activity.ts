/**
 * Work in flight: worker calls, queued timeline frames, pending saves. Each piece of work
 * takes a token and gives it back when done; the page is idle when none is out. The idle
 * signal (idle-signal.ts) is built on this.
 */
export class Activity {
  private pending = 0;
  private readonly listeners = new Set<() => void>();

  get busy(): boolean {
    return this.pending > 0;
  }

  /** A token for one piece of work; calling it again does nothing. */
  begin(): () => void {
    if (this.pending++ === 0) this.changed();
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      if (--this.pending === 0) this.changed();
    };
  }

  track<T>(work: Promise<T>): Promise<T> {
    return work.finally(this.begin());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
