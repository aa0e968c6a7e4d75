import { describe, expect, it } from 'vitest';
import { createLshIndex } from './lsh-index.js';
import { SKETCH_WORDS, computeMinHashSketch, estimateJaccard } from './minhash-sketch.js';
import { createTextScanner } from './text-scanner.js';

const scanner = createTextScanner({ headChars: 100_000, tailChars: 0, maxTokens: 10_000 });

function sketchOf(text: string): Uint32Array {
  const scan = scanner.scan(text);
  const out = new Uint32Array(SKETCH_WORDS);
  computeMinHashSketch(scan.tokens, scan.count, out);
  return out;
}

// A deterministic stream of words so the test needs no fixture file.
function wordsFrom(seed: number, count: number): string[] {
  const vocabulary = 'river stone quiet market number letter garden window engine paper silver yellow planet coffee morning history answer problem method system value energy reason signal theory family doctor winter summer island mountain'.split(' ');
  let x = seed >>> 0 || 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(vocabulary[(x >>> 0) % vocabulary.length]! + ((x >>> 8) % 50 === 0 ? 'x' : ''));
  }
  return out;
}

function shingles(words: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 2; i < words.length; i++) out.add(`${words[i - 2]} ${words[i - 1]} ${words[i]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

describe('MinHash sketch and LSH index', () => {
  it('gives identical texts identical sketches and estimates Jaccard without bias', () => {
    expect(estimateJaccard(sketchOf('the same text here'), sketchOf('The same text, here!'))).toBe(1);
    let error = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const base = wordsFrom(t + 1, 60);
      const edited = [...base];
      for (let k = 0; k < 6; k++) edited[(t * 7 + k * 11) % edited.length] = wordsFrom(t * 31 + k, 1)[0]!;
      error += estimateJaccard(sketchOf(base.join(' ')), sketchOf(edited.join(' '))) - jaccard(shingles(base), shingles(edited));
    }
    expect(Math.abs(error / trials)).toBeLessThan(0.05);
  });

  it('finds at least 95% of near-duplicates (Jaccard ≥ 0.8) and few unrelated texts', () => {
    const index = createLshIndex<number>();
    const originals: string[][] = [];
    for (let i = 0; i < 500; i++) {
      const words = wordsFrom(1000 + i, 80);
      originals.push(words);
      index.add(i, sketchOf(words.join(' ')));
    }
    let pairs = 0;
    let found = 0;
    for (let i = 0; i < 500; i++) {
      const edited = [...originals[i]!];
      edited[10 + (i % 50)] = 'changed';
      edited.push('thanks');
      if (jaccard(shingles(originals[i]!), shingles(edited)) < 0.8) continue;
      pairs++;
      if (index.query(sketchOf(edited.join(' ')), 0.5).includes(i)) found++;
    }
    expect(pairs).toBeGreaterThan(400);
    expect(found / pairs).toBeGreaterThanOrEqual(0.95);
    let falseHits = 0;
    for (let i = 0; i < 200; i++) falseHits += index.query(sketchOf(wordsFrom(9000 + i, 80).join(' ')), 0.5).length;
    expect(falseHits).toBeLessThan(5);
  });

  it('sketches short prompts too (densified bins) and marks an empty one', () => {
    const out = new Uint32Array(SKETCH_WORDS);
    const scan = scanner.scan('');
    expect(computeMinHashSketch(scan.tokens, scan.count, out)).toBe(false);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    expect(estimateJaccard(sketchOf('hello world'), sketchOf('hello world'))).toBe(1);
    expect(estimateJaccard(sketchOf('hello world'), sketchOf('goodbye moon'))).toBeLessThan(0.5);
  });
});
