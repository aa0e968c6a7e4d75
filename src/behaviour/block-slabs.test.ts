import { describe, expect, it } from 'vitest';
import { BlockSlabs } from './block-slabs.js';

describe('block slabs', () => {
  it('hands out zeroed blocks that never overlap, a new slab when one is full', () => {
    const slabs = new BlockSlabs((length) => new Float64Array(length), 3, 4);
    const blocks: { slab: Float64Array; at: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const at = slabs.take();
      const slab = slabs.current;
      expect([...slab.subarray(at, at + 3)]).toEqual([0, 0, 0]);
      slab.fill(i + 1, at, at + 3);
      blocks.push({ slab, at });
    }
    // Every block still holds what its taker wrote: no two share a cell.
    blocks.forEach(({ slab, at }, i) => expect([...slab.subarray(at, at + 3)]).toEqual([i + 1, i + 1, i + 1]));
    expect(new Set(blocks.map((block) => block.slab)).size).toBe(3);
    expect(blocks.map((block) => block.at)).toEqual([0, 3, 6, 9, 0, 3, 6, 9, 0, 3]);
  });
});
