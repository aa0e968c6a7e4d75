/**
 * Hands out fixed-size blocks of shared typed arrays ("slabs"), a slab of `blocksPerSlab` blocks
 * at a time: per-account numbers kept this way cost no typed-array headers or buffer of their
 * own, and non-integers among them no boxed number each (docs/performance.md, "Memory per
 * account"). Blocks are never given back; their holders live as long as the analysis.
 *
 * @example
 * const slabs = new BlockSlabs((length) => new Float64Array(length), 5);
 * const at = slabs.take(); // then read slabs.current: the block is current[at .. at + 5)
 */
export class BlockSlabs<Slab extends Float64Array | Uint32Array | Int32Array> {
  /** The slab the last `take` carved from. */
  current: Slab;
  private used: number;

  constructor(
    private readonly makeSlab: (length: number) => Slab,
    readonly blockLength: number,
    readonly blocksPerSlab = 2048,
  ) {
    this.current = makeSlab(0);
    this.used = blocksPerSlab;
  }

  /** Takes a zeroed block and returns its offset in `current` (read `current` after this call). */
  take(): number {
    if (this.used === this.blocksPerSlab) {
      this.current = this.makeSlab(this.blocksPerSlab * this.blockLength);
      this.used = 0;
    }
    return this.used++ * this.blockLength;
  }
}
