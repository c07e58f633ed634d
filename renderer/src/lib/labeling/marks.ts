// The images marked for a bulk action (Space, Ctrl-click, shift-click, drag), as a plain
// Set that reports each change ONCE through `changed`. The Library wires `changed` to one
// reactive counter: marking a range of 100,000 images is then one reactive write, where
// a reactive set (SvelteSet) paid for reactivity on each of the 100,000 adds.

export class MarkSet implements Iterable<number> {
  readonly #ids = new Set<number>();
  readonly #changed: () => void;

  constructor(changed: () => void = () => undefined) {
    this.#changed = changed;
  }

  get size(): number {
    return this.#ids.size;
  }

  has(id: number): boolean {
    return this.#ids.has(id);
  }

  /** Marks `id`, or unmarks it when it is marked. */
  toggle(id: number): void {
    if (!this.#ids.delete(id)) this.#ids.add(id);
    this.#changed();
  }

  /** Marks every id in `ids`: one change, however many. */
  addAll(ids: Iterable<number>): void {
    const before = this.#ids.size;
    for (const id of ids) this.#ids.add(id);
    if (this.#ids.size !== before) this.#changed();
  }

  clear(): void {
    if (this.#ids.size === 0) return;
    this.#ids.clear();
    this.#changed();
  }

  [Symbol.iterator](): Iterator<number> {
    return this.#ids.values();
  }
}
