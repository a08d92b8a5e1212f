/**
 * The Conversations panel's table: counted in the worker when the panel is shown (again when
 * the captures or their clocks change); a newer question wins over an older answer.
 */
import type { Conversation } from '../../session/contract.ts';
import type { ModelContext } from './context.ts';
import { activeFilter, type ConversationsState } from './viewer-state.ts';

export class Conversations {
  private asked = 0;

  constructor(
    private readonly ctx: ModelContext,
    /** Applies a filter written from a conversation. */
    private readonly applyFilter: (text: string) => Promise<void>,
  ) {}

  private set(change: Partial<ConversationsState>): void {
    this.ctx.store.update((s) => ({ conversations: { ...s.conversations, ...change } }));
  }

  private get shown(): boolean {
    return this.ctx.store.getSnapshot().panel === 'conversations';
  }

  /** By what the table is counted and sorted: asked again at once. */
  choose(change: Partial<Pick<ConversationsState, 'kind' | 'by'>>): void {
    this.set(change);
    void this.load();
  }

  /** The panel was shown: the table, unless it is there already. */
  shownNow(): void {
    if (!this.ctx.store.getSnapshot().conversations.table) void this.load();
  }

  /** The captures or their clocks changed: the table again if it is on screen, else when it is shown. */
  stale(): void {
    this.set({ table: null });
    if (this.shown) void this.load();
  }

  private async load(): Promise<void> {
    const asked = ++this.asked;
    const { kind, by } = this.ctx.store.getSnapshot().conversations;
    this.set({ table: null });
    const table = await this.ctx.engine.conversations(kind, by);
    if (asked === this.asked) this.set({ table });
  }

  /** Exclude: the filter in force, and not this conversation (the worker says how they join). */
  async exclude(c: Conversation): Promise<void> {
    const joined = await this.ctx.engine.excluding(activeFilter(this.ctx.store.getSnapshot()), c.filter!);
    if ('problem' in joined) return this.set({ problem: joined.problem });
    this.set({ problem: null });
    await this.applyFilter(joined.text);
  }
}
