import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WindowRegistry } from '../../../electron/main/window/window-registry.js';

class FakeContents extends EventEmitter {
  constructor(readonly id: number) {
    super();
  }
}

describe('WindowRegistry', () => {
  it('trusts registered webContents until they are destroyed', () => {
    const registry = new WindowRegistry<FakeContents>();
    const a = new FakeContents(1);
    const b = new FakeContents(2);
    registry.add(a);
    registry.add(b);
    expect(registry.has(1)).toBe(true);
    expect(registry.has(3)).toBe(false);
    expect(registry.list()).toEqual([a, b]);
    a.emit('destroyed');
    expect(registry.has(1)).toBe(false);
    expect(registry.list()).toEqual([b]);
  });

  it('does not let an old webContents remove a newer one with the same id', () => {
    const registry = new WindowRegistry<FakeContents>();
    const old = new FakeContents(5);
    registry.add(old);
    const reused = new FakeContents(5);
    registry.add(reused);
    old.emit('destroyed');
    expect(registry.list()).toEqual([reused]);
  });
});
