/**
 * Identifiers of one shape (a fixed prefix and a fixed number of letters and digits) stored as
 * their characters only: 16-20 bytes each instead of a heap string and a pointer.
 */
export class FixedWidthIds {
  private bytes: Buffer;
  private count = 0;

  constructor(
    readonly prefix: string,
    readonly width: number,
    initialCapacity = 1024,
  ) {
    this.bytes = Buffer.alloc(initialCapacity * width);
  }

  get length(): number {
    return this.count;
  }

  push(id: string): number {
    // Letters and digits only: the generator writes identifiers into JSON without escaping.
    if (id.length !== this.prefix.length + this.width || !id.startsWith(this.prefix) || !/^[0-9A-Za-z]*$/.test(id.slice(this.prefix.length))) {
      throw new Error(`identifier ${JSON.stringify(id)} is not ${this.prefix} followed by ${this.width} letters and digits`);
    }
    const offset = this.count * this.width;
    if (offset + this.width > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.write(id.slice(this.prefix.length), offset, 'latin1');
    return this.count++;
  }

  get(index: number): string {
    const offset = index * this.width;
    return this.prefix + this.bytes.toString('latin1', offset, offset + this.width);
  }

  seal(): void {
    if (this.bytes.length !== this.count * this.width) this.bytes = Buffer.from(this.bytes.subarray(0, this.count * this.width));
  }
}
