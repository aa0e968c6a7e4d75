/**
 * Remembers which account first sent each prompt-sketch band, to tell whether an exchange
 * near-duplicates an earlier one and whether that earlier one came from another account. An
 * open-addressing table of 32-bit keys and 32-bit values (8 bytes a slot); it stops taking new
 * keys at `maxEntries` so a long-running service stays bounded, and keeps answering for the
 * keys it has.
 */
export class NearDuplicateTable {
  private keys: Uint32Array;
  private owners: Int32Array;
  private mask: number;
  private count = 0;
  full = false;

  constructor(
    private readonly maxEntries = 40_000_000,
    expected = 1 << 16,
  ) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity);
    this.owners = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Looks up `key` (0 is treated as 1) for `account`: returns 0 when unseen (and records it),
   * 1 when seen before from this account, 2 when seen before from another account.
   */
  visit(key: number, account: number): number {
    const k = key >>> 0 || 1;
    let slot = Math.imul(k, 0x9e3779b1) >>> 0 & this.mask;
    const keys = this.keys;
    for (;;) {
      const stored = keys[slot]!;
      if (stored === 0) break;
      if (stored === k) {
        const owner = this.owners[slot]!;
        if (owner === account) return 1;
        // -1 marks a key sent by several accounts; remember that, not the first owner.
        if (owner !== -1) this.owners[slot] = -1;
        return 2;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.count >= this.maxEntries) {
      this.full = true;
      return 0;
    }
    keys[slot] = k;
    this.owners[slot] = account;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldOwners = this.owners;
    const capacity = oldKeys.length * 2;
    this.keys = new Uint32Array(capacity);
    this.owners = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k === 0) continue;
      let slot = Math.imul(k, 0x9e3779b1) >>> 0 & this.mask;
      while (this.keys[slot] !== 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = k;
      this.owners[slot] = oldOwners[i]!;
    }
  }
}
