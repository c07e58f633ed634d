// The app's own windows' webContents: whom the sender gate trusts and whom events are
// sent to. An entry leaves the registry when its webContents is destroyed, so a
// recycled id can never inherit trust.
export interface RegisteredContents {
  readonly id: number;
  once(event: 'destroyed', listener: () => void): unknown;
}

export class WindowRegistry<C extends RegisteredContents> {
  readonly #byId = new Map<number, C>();

  add(contents: C): void {
    this.#byId.set(contents.id, contents);
    contents.once('destroyed', () => {
      if (this.#byId.get(contents.id) === contents) this.#byId.delete(contents.id);
    });
  }

  has(id: number): boolean {
    return this.#byId.has(id);
  }

  list(): C[] {
    return [...this.#byId.values()];
  }
}
