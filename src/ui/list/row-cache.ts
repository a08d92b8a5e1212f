/**
 * Rows fetched from the worker in blocks, kept in a small LRU: scrolling asks only for the
 * blocks on screen, and a block asked for twice is fetched once.
 */
import type { ListRow } from '../../session/contract.ts';

export const BLOCK_ROWS = 128;
const MAX_BLOCKS = 64;

export type FetchRows = (first: number, count: number, listStart: number) => Promise<ListRow[]>;

export class RowCache {
  private readonly blocks = new Map<number, ListRow[] | Promise<ListRow[] | null>>();

  /** `onError` hears why a block could not be read (a capture changed on disk, say); that block is not asked for again. */
  constructor(
    private readonly fetchRows: FetchRows,
    private readonly listStart: number,
    private readonly listEnd: number,
    private readonly onLoaded: () => void,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** The row at list index i, or undefined while its block loads. */
  row(i: number): ListRow | undefined {
    const block = Math.floor(i / BLOCK_ROWS);
    const cached = this.blocks.get(block);
    if (Array.isArray(cached)) {
      this.blocks.delete(block);
      this.blocks.set(block, cached);
      return cached[i - block * BLOCK_ROWS];
    }
    if (!cached) this.load(block);
    return undefined;
  }

  private load(block: number): void {
    const first = this.listStart + block * BLOCK_ROWS;
    const count = Math.min(BLOCK_ROWS, this.listEnd - first);
    const pending = this.fetchRows(first, count, this.listStart).then(
      (rows) => {
        this.blocks.set(block, rows);
        while (this.blocks.size > MAX_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
        this.onLoaded();
        return rows;
      },
      (error) => {
        this.onError((error as Error).message);
        return null;
      },
    );
    this.blocks.set(block, pending);
  }
}
