// npm run bench:hotpaths — the hand-written hot paths against npm libraries that do the same job:
// string hashing (src/util/hash64.ts), the prompt MinHash sketch (src/features/minhash-sketch.ts)
// the 64-bit key set of id deduplication (src/util/key64-set.ts) and the fixed-size filter of
// stored ids in front of it (src/util/key64-filter.ts). Each comparison prints the
// time per operation of both and whether their results agree where they are comparable. Last,
// the content features ingest computes per exchange (src/features), on plain, obfuscated and padded
// text, which have no library counterpart; and the weighted median every population reference
// takes (src/behaviour/population-reference.ts) against the comparator sort it replaced; and the
// graph community detection runs on (src/linking/louvain-graph.ts) against a graphology graph;
// and the two orderings pair scoring makes (src/linking/account-linker.ts) against comparator sorts.
// Usage: node bench/hotpath-bench.mjs [--seconds 1] [--prompts 20000] [--keys 2000000]
//        [--only hashing,sketch,keyset,filter,content,median,louvain,orderings]
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGunzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import murmurHash3 from 'murmurhash3js-revisited';
import xxhash from 'xxhash-wasm';
import minhashPackage from 'minhash';
import bloomFilters from 'bloom-filters';
import { machine, simulatedTraffic } from './bench-support.mjs';
import { fmix32, hash64, key64ToBigInt, key64ToHex, murmur32, murmur32ByCodeUnit } from '../dist/util/hash64.js';
import { Key64Set } from '../dist/util/key64-set.js';
import { Key64Filter } from '../dist/util/key64-filter.js';
import { SKETCH_BINS, SKETCH_WORDS, computeMinHashSketch, estimateJaccard } from '../dist/features/minhash-sketch.js';
import { createTextScanner } from '../dist/features/text-scanner.js';
import { PROMPT_SCAN, createExchangeFeatureExtractor } from '../dist/features/exchange-features.js';
import { parseExchangeLine } from '../dist/ingest/exchange-validator.js';
import { weightedMedian } from '../dist/behaviour/population-reference.js';
import { LouvainGraph } from '../dist/linking/louvain-graph.js';
import { PairTable } from '../dist/linking/pair-table.js';
import graphology from 'graphology';
import louvain from 'graphology-communities-louvain';
import { seededRandom } from '../dist/util/seeded-random.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    prompts: { type: 'string', default: '20000' },
    keys: { type: 'string', default: '2000000' },
    only: { type: 'string', default: 'hashing,sketch,keyset,filter,content,median,louvain,orderings' },
  },
});
const SECTIONS = new Set(values.only.split(','));
const SECONDS_PER_CASE = Number(values.seconds);
const { Minhash } = minhashPackage;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

/** Runs `pass` (one pass over `items` inputs) until the time is up; returns ns per input. */
function measure(items, pass) {
  pass();
  let passes = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS_PER_CASE * 1e9));
  let elapsed = 0n;
  do {
    pass();
    passes++;
    elapsed = process.hrtime.bigint() - started;
  } while (elapsed < budget);
  return Number(elapsed) / (passes * items);
}

function row(name, nsPerOp, extra = '') {
  const rate = 1e9 / nsPerOp;
  const shown = rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M/s` : `${(rate / 1e3).toFixed(1)} k/s`;
  console.log(`  ${name.padEnd(58)} ${nsPerOp.toFixed(nsPerOp < 100 ? 1 : 0).padStart(9)} ns/op ${shown.padStart(11)}${extra ? `  ${extra}` : ''}`);
}

function lastUserPrompt(request) {
  const messages = request?.messages ?? request?.input ?? [];
  if (!Array.isArray(messages)) return typeof messages === 'string' ? messages : '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) return message.content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join(' ');
  }
  return '';
}

/** Exchange ids, prompts and log lines as the simulator writes them (the `smoke` scenario, seed 7). */
async function readCorpus(limit) {
  const traffic = await simulatedTraffic('smoke', 7);
  const ids = [];
  const prompts = [];
  const records = [];
  const lines = createInterface({ input: createReadStream(traffic.exchanges).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    const exchange = JSON.parse(line);
    ids.push(exchange.id);
    records.push(line);
    const prompt = lastUserPrompt(exchange.request);
    if (prompt.length > 0) prompts.push(prompt);
    if (prompts.length >= limit) break;
  }
  lines.close();
  return { ids, prompts, records };
}

const corpus = await readCorpus(Number(values.prompts));
const meanLength = (texts) => texts.reduce((sum, text) => sum + text.length, 0) / texts.length;
console.log(`machine: ${machine()}; ${SECONDS_PER_CASE} s per case`);
console.log(
  `inputs: ${corpus.ids.length.toLocaleString('en-US')} exchange ids (mean ${meanLength(corpus.ids).toFixed(0)} chars) and ` +
    `${corpus.prompts.length.toLocaleString('en-US')} prompts (mean ${meanLength(corpus.prompts).toFixed(0)} chars) from the smoke scenario\n`,
);

let sink = 0;

// ---------------------------------------------------------------------------------------------
// 1. String hashing. Ours hashes UTF-16 code units two to a 32-bit block, so it skips the encoding
// step a byte-oriented library needs. It is MurmurHash3 x86_32 over the UTF-16LE bytes except
// for the length word mixed in at the end (code units, not bytes); undoing the library's final
// mix, swapping that word and mixing again must give our value exactly.
if (SECTIONS.has('hashing')) {
  console.log('string hashing: murmur32 / hash64 (src/util/hash64.ts)');
  const xx = await xxhash();
  const encoder = new TextEncoder();
  const scratch = new Uint8Array(1 << 20);
  for (const [label, texts] of [
    ['exchange ids', corpus.ids],
    ['prompts', corpus.prompts],
    ['base64 images (what ingest keys every image by)', base64Images(120)],
  ]) {
    const utf16 = texts.map((text) => new Uint8Array(Buffer.from(text, 'utf16le')));
    console.log(` ${label}:`);
    row('ours murmur32 (32-bit, UTF-16 code units)', measure(texts.length, () => {
      for (const text of texts) sink ^= murmur32(text, 0x9747b28c);
    }));
    row('the same hash, one charCodeAt per code unit', measure(texts.length, () => {
      for (const text of texts) sink ^= murmur32ByCodeUnit(text, 0x9747b28c);
    }));
    row('murmurhash3js-revisited x86.hash32, UTF-16LE encode + hash', measure(texts.length, () => {
      for (const text of texts) sink ^= murmurHash3.x86.hash32(Buffer.from(text, 'utf16le'), 0x9747b28c);
    }));
    row('murmurhash3js-revisited x86.hash32, pre-encoded bytes', measure(texts.length, () => {
      for (const bytes of utf16) sink ^= murmurHash3.x86.hash32(bytes, 0x9747b28c);
    }));
    row('ours hash64 (two 32-bit lanes)', measure(texts.length, () => {
      for (const text of texts) sink ^= hash64(text).lo;
    }));
    row('xxhash-wasm h64 (string, bigint result)', measure(texts.length, () => {
      for (const text of texts) sink ^= Number(xx.h64(text) & 0xffn);
    }));
    row('xxhash-wasm h64Raw (UTF-8 encodeInto + hash)', measure(texts.length, () => {
      for (const text of texts) {
        const { written } = encoder.encodeInto(text, scratch);
        sink ^= Number(xx.h64Raw(scratch.subarray(0, written)) & 0xffn);
      }
    }));
    row('murmurhash3js-revisited x64.hash128 (UTF-8, hex result)', measure(texts.length, () => {
      for (const text of texts) sink ^= murmurHash3.x64.hash128(Buffer.from(text, 'utf8')).length;
    }));

    let agree = 0;
    let sameByUnit = 0;
    for (let i = 0; i < texts.length; i++) {
      const reference = murmurHash3.x86.hash32(utf16[i], 0x9747b28c);
      const corrected = fmix32((unmix32(reference) ^ utf16[i].length ^ texts[i].length) >>> 0);
      if (corrected === murmur32(texts[i], 0x9747b28c)) agree++;
      if (murmur32ByCodeUnit(texts[i], 0x9747b28c) === murmur32(texts[i], 0x9747b28c)) sameByUnit++;
    }
    const distinct = new Set(texts).size;
    const ourKeys = new Set(texts.map((text) => key64ToHex(hash64(text)))).size;
    const xxKeys = new Set(texts.map((text) => xx.h64ToString(text))).size;
    console.log(
      `  agreement: murmur32 = reference MurmurHash3 x86_32 (length word corrected) on ${agree} of ${texts.length}, ` +
        `= the code-unit loop on ${sameByUnit}; ` +
        `64-bit keys of ${distinct} distinct inputs: ${ourKeys} distinct (ours), ${xxKeys} (xxhash)`,
    );
  }
  console.log();
}

/** Base64 strings of 20,000 to 300,000 characters (images of about 15 to 225 KB), from a fixed seed. */
function base64Images(count) {
  const images = [];
  let state = 0x2545f491;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const bytes = Buffer.alloc(15_000 + (state % 210_000));
    for (let b = 0; b < bytes.length; b++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      bytes[b] = state >>> 24;
    }
    images.push(bytes.toString('base64'));
  }
  return images;
}

/** The inverse of MurmurHash3's 32-bit finaliser `fmix32`. */
function unmix32(value) {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7ed1b41d); // inverse of 0xc2b2ae35 mod 2^32
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, 0xa5cb9243); // inverse of 0x85ebca6b mod 2^32
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// 2. The prompt sketch. Ours is one-permutation MinHash: one hash per word 3-shingle, 8 bins of
// 16 bits, computed from the scanner's token hashes at ingest. The `minhash` package is classic
// MinHash: for each shingle string, one hash and k permutations (k = 128 by default). Both
// estimate the Jaccard similarity of two prompts' shingle sets; the check is that each estimate
// is as close to the exact value as its number of bins allows (standard error √(J(1−J)/k)).
if (SECTIONS.has('sketch')) {
  console.log('prompt MinHash sketch (src/features/minhash-sketch.ts) against the `minhash` package');
  const scanner = createTextScanner(PROMPT_SCAN);
  const out = new Uint32Array(SKETCH_WORDS);
  const bins = new Uint32Array(SKETCH_BINS);
  const prompts = corpus.prompts.slice(0, 5000);
  const scanned = prompts.map((text) => {
    const scan = scanner.scan(text);
    return { tokens: scan.tokens.slice(0, scan.count), count: scan.count };
  });
  const wordsOf = (text) => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const shingleStrings = (words) => {
    if (words.length < 3) return words.length === 0 ? [] : [words.join(' ')];
    const shingles = [];
    for (let i = 2; i < words.length; i++) shingles.push(`${words[i - 2]} ${words[i - 1]} ${words[i]}`);
    return shingles;
  };
  const librarySketch = (text, numPerm) => {
    const sketch = new Minhash({ numPerm });
    for (const shingle of shingleStrings(wordsOf(text))) sketch.update(shingle);
    return sketch;
  };
  const shingleCount = prompts.reduce((sum, text) => sum + Math.max(1, wordsOf(text).length - 2), 0) / prompts.length;
  console.log(` ${prompts.length.toLocaleString('en-US')} prompts, ${shingleCount.toFixed(0)} word 3-shingles each on average:`);
  row('ours, sketch from token hashes (what ingest adds)', measure(scanned.length, () => {
    for (const scan of scanned) {
      computeMinHashSketch(scan.tokens, scan.count, out, bins);
      sink ^= out[0];
    }
  }));
  row('ours, text scan + sketch (128 bits)', measure(prompts.length, () => {
    for (const text of prompts) {
      const scan = scanner.scan(text);
      computeMinHashSketch(scan.tokens, scan.count, out, bins);
      sink ^= out[0];
    }
  }));
  const slowPrompts = prompts.slice(0, 500);
  for (const numPerm of [8, 128]) {
    row(`minhash, words + shingles + ${numPerm} permutations`, measure(slowPrompts.length, () => {
      for (const text of slowPrompts) sink ^= librarySketch(text, numPerm).hashvalues[0];
    }));
  }

  // Pairs of known similarity: each prompt against a copy with a share of its words replaced.
  const replacementWords = ['amber', 'basalt', 'cobalt', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'kelp', 'lumen'];
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const errors = { ours: [], lib8: [], lib128: [] };
  const exactOf = (a, b) => {
    const left = new Set(a);
    const right = new Set(b);
    let both = 0;
    for (const value of left) if (right.has(value)) both++;
    return both / (left.size + right.size - both);
  };
  const tokenShingles = (scan) => {
    const shingles = [];
    for (let i = 2; i < scan.count; i++) shingles.push(`${scan.tokens[i - 2]},${scan.tokens[i - 1]},${scan.tokens[i]}`);
    return shingles;
  };
  const pairScanner = createTextScanner(PROMPT_SCAN);
  const ourA = new Uint32Array(SKETCH_WORDS);
  const ourB = new Uint32Array(SKETCH_WORDS);
  let pairs = 0;
  let exactSum = 0;
  for (const text of prompts.slice(0, 2000)) {
    const words = text.split(/\s+/).filter((word) => word.length > 0);
    if (words.length < 12 || text.length > PROMPT_SCAN.headChars) continue;
    const share = [0.05, 0.1, 0.2, 0.4][pairs % 4];
    const variant = words.map((word) => (random() < share ? replacementWords[Math.floor(random() * replacementWords.length)] : word)).join(' ');
    const scanA = pairScanner.scan(text);
    const tokensA = tokenShingles(scanA);
    computeMinHashSketch(scanA.tokens, scanA.count, ourA, bins);
    const scanB = pairScanner.scan(variant);
    const tokensB = tokenShingles(scanB);
    computeMinHashSketch(scanB.tokens, scanB.count, ourB, bins);
    const ourExact = exactOf(tokensA, tokensB);
    errors.ours.push(Math.abs(estimateJaccard(ourA, ourB) - ourExact));
    const libraryExact = exactOf(shingleStrings(wordsOf(text)), shingleStrings(wordsOf(variant)));
    errors.lib8.push(Math.abs(librarySketch(text, 8).jaccard(librarySketch(variant, 8)) - libraryExact));
    errors.lib128.push(Math.abs(librarySketch(text, 128).jaccard(librarySketch(variant, 128)) - libraryExact));
    exactSum += ourExact;
    pairs++;
  }
  const mean = (list) => list.reduce((sum, value) => sum + value, 0) / list.length;
  console.log(
    `  agreement with the exact Jaccard similarity over ${pairs} prompt pairs (5-40% of words replaced, mean J ${(exactSum / pairs).toFixed(2)}), ` +
      `mean absolute error: ours (8 bins) ${mean(errors.ours).toFixed(3)}, minhash 8 permutations ${mean(errors.lib8).toFixed(3)}, ` +
      `minhash 128 permutations ${mean(errors.lib128).toFixed(3)}\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// 3. The exchange-id set. Ingest keeps every id seen as a 64-bit key; the alternatives are a JS
// Set of BigInt or of hex strings. Compared on time per add and per lookup and on memory per key:
// the JS heap a Set grew by, and the typed array the key set holds (outside the JS heap).
if (SECTIONS.has('keyset')) {
  const count = Number(values.keys);
  console.log(`64-bit key set (src/util/key64-set.ts), ${count.toLocaleString('en-US')} distinct keys`);
  const his = new Uint32Array(count);
  const los = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const key = hash64(`req_${i.toString(36)}_${(i * 2654435761) >>> 0}`);
    his[i] = key.hi;
    los[i] = key.lo;
  }
  const candidates = [
    {
      name: 'ours Key64Set (open addressing, one Uint32Array)',
      make: () => new Key64Set(1024),
      add: (set, i) => set.addParts(his[i], los[i]),
      has: (set, i) => set.hasParts(his[i], los[i]),
      size: (set) => set.size,
      offHeapBytes: (set) => set.slots.byteLength,
    },
    {
      name: 'Set<bigint>',
      make: () => new Set(),
      add: (set, i) => set.add(key64ToBigInt({ hi: his[i], lo: los[i] })),
      has: (set, i) => set.has(key64ToBigInt({ hi: his[i], lo: los[i] })),
      size: (set) => set.size,
    },
    {
      name: 'Set<string> (16 hex digits)',
      make: () => new Set(),
      add: (set, i) => set.add(key64ToHex({ hi: his[i], lo: los[i] })),
      has: (set, i) => set.has(key64ToHex({ hi: his[i], lo: los[i] })),
      size: (set) => set.size,
    },
  ];
  for (const candidate of candidates) {
    collectGarbage();
    const before = process.memoryUsage();
    const started = process.hrtime.bigint();
    const set = candidate.make();
    for (let i = 0; i < count; i++) candidate.add(set, i);
    const addNs = Number(process.hrtime.bigint() - started) / count;
    collectGarbage();
    const after = process.memoryUsage();
    const bytesPerKey = (Math.max(0, after.heapUsed - before.heapUsed) + (candidate.offHeapBytes?.(set) ?? 0)) / count;
    const hasStarted = process.hrtime.bigint();
    let found = 0;
    for (let i = 0; i < count; i++) if (candidate.has(set, (i * 7919) % count)) found++;
    const hasNs = Number(process.hrtime.bigint() - hasStarted) / count;
    row(`${candidate.name}: add`, addNs, `${bytesPerKey.toFixed(0)} bytes/key, size ${candidate.size(set).toLocaleString('en-US')}`);
    row(`${candidate.name}: lookup`, hasNs, `${found.toLocaleString('en-US')} found`);
    sink ^= found;
  }
}

if (SECTIONS.has('filter')) {
  const count = Number(values.keys);
  // 32-64 bits a key: what the ingest gives the filter while the store is within its size.
  const bytes = 2 ** Math.ceil(Math.log2(count * 4));
  console.log(`Bloom filter of stored ids (src/util/key64-filter.ts), ${count.toLocaleString('en-US')} keys, ${(bytes / 1048576).toFixed(0)} MiB`);
  const his = new Uint32Array(count * 2);
  const los = new Uint32Array(count * 2);
  for (let i = 0; i < count * 2; i++) {
    const key = hash64(`req_${i.toString(36)}_${(i * 2654435761) >>> 0}`);
    his[i] = key.hi;
    los[i] = key.lo;
  }
  const ours = new Key64Filter(bytes);
  const library = bloomFilters.BloomFilter.create(count, 1e-5);
  const candidates = [
    { name: 'ours Key64Filter (split-block, one cache line a key)', add: (i) => ours.add(his[i], los[i]), has: (i) => ours.mayContain(his[i], los[i]), bytes: () => ours.byteLength },
    {
      name: 'bloom-filters BloomFilter (16 hex digits, error rate 1e-5)',
      add: (i) => library.add(key64ToHex({ hi: his[i], lo: los[i] })),
      has: (i) => library.has(key64ToHex({ hi: his[i], lo: los[i] })),
      bytes: () => Math.ceil(library.size / 8),
    },
  ];
  for (const candidate of candidates) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) candidate.add(i);
    const addNs = Number(process.hrtime.bigint() - started) / count;
    const hasStarted = process.hrtime.bigint();
    let stored = 0;
    let falsePositives = 0;
    for (let i = 0; i < count; i++) if (candidate.has(i)) stored++;
    for (let i = count; i < count * 2; i++) if (candidate.has(i)) falsePositives++;
    const hasNs = Number(process.hrtime.bigint() - hasStarted) / (count * 2);
    row(`${candidate.name}: add`, addNs, `${((candidate.bytes() * 8) / count).toFixed(1)} bits/key`);
    row(`${candidate.name}: lookup`, hasNs, `${stored === count ? 'all stored keys found' : `MISSED ${count - stored} stored keys`}, false positives ${(falsePositives / count).toExponential(1)}`);
    sink ^= falsePositives;
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Content features: what ingest computes per exchange from its text. The scanner on the
// prompts as sent, then on the same prompts written the way an evader writes them (Cyrillic
// look-alike letters in every fourth word, a zero-width space inside every sixth), which is the
// path that pays for normalisation; then the whole extraction per exchange, from the normalised
// exchange to its stored features (every scanned part, content signals, sketch, shapes).
if (SECTIONS.has('content')) {
  console.log('content features (src/features), per prompt or exchange');
  const LOOK_ALIKES = { a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', c: '\u0441', x: '\u0445', y: '\u0443' };
  const obfuscate = (text) =>
    text
      .split(' ')
      .map((word, i) => {
        let out = i % 4 === 1 ? word.replace(/[aeopcxy]/g, (letter) => LOOK_ALIKES[letter]) : word;
        if (i % 6 === 2 && out.length > 3) out = `${out.slice(0, 2)}\u200b${out.slice(2)}`;
        return out;
      })
      .join(' ');
  const prompts = corpus.prompts;
  const obfuscated = prompts.map(obfuscate);
  const scanner = createTextScanner(PROMPT_SCAN);
  row('text scan of the prompt (prompt windows)', measure(prompts.length, () => {
    for (const text of prompts) sink ^= scanner.scan(text).count;
  }), `mean ${meanLength(prompts).toFixed(0)} chars`);
  row('text scan of the prompt, obfuscated', measure(obfuscated.length, () => {
    for (const text of obfuscated) sink ^= scanner.scan(text).count;
  }), `mean ${meanLength(obfuscated).toFixed(0)} chars`);
  const exchanges = [];
  for (const line of corpus.records) {
    const parsed = parseExchangeLine(line);
    if (parsed.ok) exchanges.push(parsed.value.exchange);
  }
  const obfuscatedExchanges = exchanges.map((exchange) => ({
    ...exchange,
    request: {
      ...exchange.request,
      systemText: obfuscate(exchange.request.systemText),
      messages: exchange.request.messages.map((message) => (message.role === 'user' ? { ...message, text: obfuscate(message.text) } : message)),
    },
  }));
  const extract = createExchangeFeatureExtractor();
  const partChars = (exchange) =>
    exchange.request.systemText.length + exchange.request.messages.reduce((sum, message) => sum + message.text.length, 0) +
    exchange.request.tools.reduce((sum, tool) => sum + tool.description.length, 0);
  const meanChars = exchanges.reduce((sum, exchange) => sum + partChars(exchange), 0) / exchanges.length;
  row('feature extraction per exchange', measure(exchanges.length, () => {
    for (const exchange of exchanges) sink ^= extract(exchange).contentFlags;
  }), `${exchanges.length.toLocaleString('en-US')} exchanges, mean ${meanChars.toFixed(0)} chars of text`);
  row('feature extraction per exchange, obfuscated', measure(obfuscatedExchanges.length, () => {
    for (const exchange of obfuscatedExchanges) sink ^= extract(exchange).contentFlags;
  }));
  // Padded as an evader pads: statements before and after every user text, which sends the
  // template through the request anchor (a second scan of the anchored part).
  const statements = 'The museum opens at nine and closes at five on weekdays. Shipping usually takes three to five business days. ';
  const filler = (chars) => statements.repeat(Math.ceil(chars / statements.length)).slice(0, chars);
  const paddedExchanges = exchanges.map((exchange) => ({
    ...exchange,
    request: {
      ...exchange.request,
      messages: exchange.request.messages.map((message) => (message.role === 'user' && message.text.length > 0 ? { ...message, text: `${filler(1500)}\n\n${message.text}\n\n${filler(400)}` } : message)),
    },
  }));
  row('feature extraction per exchange, padded', measure(paddedExchanges.length, () => {
    for (const exchange of paddedExchanges) sink ^= extract(exchange).contentFlags;
  }), '1,500 characters of statements before each user text, 400 after');
}

// 6. The weighted median of one measure over a store's accounts (a relink takes one per measure
// and fingerprint dimension, twice: centre and spread): as written, against sorting the indexes
// through a comparator as it was before. Shares are mostly 0 for most measures, levels spread.
if (SECTIONS.has('median')) {
  console.log('weighted median (src/behaviour/population-reference.ts), per account');
  const byComparator = (values, weights) => {
    const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
    let total = 0;
    for (const weight of weights) total += weight;
    let seen = 0;
    for (const i of order) {
      seen += weights[i];
      if (seen * 2 >= total) return values[i];
    }
    return values[order[values.length - 1]];
  };
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const accounts = 8_000;
  for (const [label, zeros] of [['levels (no ties)', 0], ['shares, half of them 0', 0.5], ['shares, 90% 0', 0.9]]) {
    const values = Array.from({ length: accounts }, () => (random() < zeros ? 0 : Math.round(random() * 1000) / 1000));
    const weights = Array.from({ length: accounts }, () => Math.sqrt(1 + Math.floor(random() * 999)));
    const agree = Object.is(weightedMedian(values, weights), byComparator(values, weights));
    console.log(` ${accounts.toLocaleString('en-US')} accounts, ${label}:`);
    row('distinct values sorted natively (as written)', measure(accounts, () => {
      sink += weightedMedian(values, weights);
    }), agree ? 'same result' : 'DIFFERENT RESULT');
    row('indexes sorted by a comparator (before)', measure(accounts, () => {
      sink += byComparator(values, weights);
    }));
  }
}

// 7. The graph community detection runs on, as the linker builds one per connected part of the
// account graph and again per community for the split pass: a graphology graph (an object, a
// generated key and two adjacency entries per edge) against flat arrays, each built from the same
// edges and then given to Louvain. A store's account graph: 8,000 accounts in groups of 5 to 200
// (campaigns, organisations) with dense ties inside and sparse ones between.
if (SECTIONS.has('louvain')) {
  console.log('community detection graph (src/linking/louvain-graph.ts), per edge');
  const random = seededRandom(7);
  const nodes = [];
  const edges = [];
  let next = 0;
  while (next < 8_000) {
    const size = 5 + Math.floor(random() * 196);
    const group = Array.from({ length: size }, () => next++);
    nodes.push(...group);
    for (const a of group) for (let k = 0; k < 8; k++) {
      const b = group[Math.floor(random() * size)];
      if (b !== a) edges.push([a, b, 0.3 + random() * 0.7]);
    }
  }
  for (let k = 0; k < 4_000; k++) edges.push([Math.floor(random() * next), Math.floor(random() * next), 0.3]);
  const seen = new Set();
  const unique = edges.filter(([a, b]) => {
    const key = a < b ? a * next + b : b * next + a;
    if (a === b || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const withGraphology = () => {
    const graph = new graphology.UndirectedGraph({ allowSelfLoops: false });
    for (const node of nodes) graph.addNode(String(node));
    for (const [a, b, w] of unique) graph.addEdge(String(a), String(b), { weight: w });
    return graph;
  };
  const withArrays = () => {
    const graph = new LouvainGraph();
    for (const node of nodes) graph.addNode(node);
    for (const [a, b, w] of unique) graph.addEdge(a, b, w);
    return graph;
  };
  const communities = (graph) => louvain.detailed(graph, { getEdgeWeight: 'weight', rng: seededRandom(1) });
  const expected = communities(withGraphology());
  const found = communities(withArrays().asGraph());
  const agree = found.count === expected.count && found.modularity === expected.modularity && Object.keys(expected.communities).every((node) => found.communities[node] === expected.communities[node]);
  console.log(` ${nodes.length.toLocaleString('en-US')} accounts, ${unique.length.toLocaleString('en-US')} edges, ${expected.count} communities:`);
  row('flat arrays, built (as written)', measure(unique.length, () => {
    sink += withArrays().size;
  }), agree ? 'same communities and modularity' : 'DIFFERENT COMMUNITIES');
  row('graphology graph, built (before)', measure(unique.length, () => {
    sink += withGraphology().size;
  }));
  row('flat arrays, built and Louvain', measure(unique.length, () => {
    sink += communities(withArrays().asGraph()).count;
  }));
  row('graphology graph, built and Louvain', measure(unique.length, () => {
    sink += communities(withGraphology()).count;
  }));
}

// 8. The two orderings pair scoring makes at every relink: the members of a large group (a
// template thousands of accounts fill, a proxy pool) along each random cycle, by a 32-bit rank
// and then by member; and the account graph's edges by pair key. As written, rank and member
// packed in one double (keys alone) and sorted natively, against comparators over indexes.
if (SECTIONS.has('orderings')) {
  console.log('pair scoring orderings (src/linking/account-linker.ts), per item');
  const packedMembers = 2 ** 21;
  const random = seededRandom(11);
  for (const m of [500, 5_000, 50_000]) {
    const ranks = Float64Array.from({ length: m }, () => Math.floor(random() * 2 ** 32));
    const byComparator = () => {
      const order = Int32Array.from({ length: m }, (_, i) => i);
      return order.sort((x, y) => ranks[x] - ranks[y] || x - y);
    };
    const packed = () => {
      const keys = new Float64Array(m);
      for (let i = 0; i < m; i++) keys[i] = ranks[i] * packedMembers + i;
      keys.sort();
      const order = new Int32Array(m);
      for (let i = 0; i < m; i++) order[i] = keys[i] % packedMembers;
      return order;
    };
    const expected = byComparator();
    const agree = packed().every((member, i) => member === expected[i]);
    console.log(` a cycle over ${m.toLocaleString('en-US')} members:`);
    row('rank and member packed, sorted natively (as written)', measure(m, () => {
      sink += packed()[0];
    }), agree ? 'same order' : 'DIFFERENT ORDER');
    row('indexes sorted by a comparator (before)', measure(m, () => {
      sink += byComparator()[0];
    }));
  }
  const n = 8_000;
  const pairs = 170_000;
  const table = new PairTable(pairs);
  const pairKeys = [];
  while (pairKeys.length < pairs) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    if (a === b || table.getOrSet(a, b, pairKeys.length) >= 0) continue;
    pairKeys.push(Math.min(a, b) * n + Math.max(a, b));
  }
  const edges = pairKeys.filter(() => random() < 0.33);
  const edgeIndexes = edges.map((key) => table.get(Math.floor(key / n), key % n));
  const byComparator = () => [...edgeIndexes].sort((x, y) => pairKeys[x] - pairKeys[y]);
  const byKeys = () => {
    const sorted = Float64Array.from(edges).sort();
    const order = new Int32Array(sorted.length);
    for (let i = 0; i < sorted.length; i++) {
      const a = Math.floor(sorted[i] / n);
      order[i] = table.get(a, sorted[i] - a * n);
    }
    return order;
  };
  const expected = byComparator();
  const agree = byKeys().every((index, i) => index === expected[i]);
  console.log(` ${edges.length.toLocaleString('en-US')} edges of ${pairs.toLocaleString('en-US')} pairs, ${n.toLocaleString('en-US')} accounts:`);
  row('keys sorted natively, each pair found again (as written)', measure(edges.length, () => {
    sink += byKeys()[0];
  }), agree ? 'same order' : 'DIFFERENT ORDER');
  row('pair indexes sorted by a comparator on their keys (before)', measure(edges.length, () => {
    sink += byComparator()[0];
  }));
  // A component's edges as community detection takes them: by the places of their ends in the
  // accounts' key order, two stable counting passes against a comparator on both ends.
  const size = 1_300;
  const place = Int32Array.from({ length: size }, (_, i) => i);
  const componentEdges = [];
  const seenEdges = new Set();
  while (componentEdges.length < 20_000) {
    const a = Math.floor(random() * size);
    const b = Math.floor(random() * size);
    if (a === b || seenEdges.has(Math.min(a, b) * size + Math.max(a, b))) continue;
    seenEdges.add(Math.min(a, b) * size + Math.max(a, b));
    componentEdges.push([Math.min(a, b), Math.max(a, b), random()]);
  }
  const byPlaces = (list, end) => {
    const start = new Int32Array(size + 1);
    for (const edge of list) start[place[edge[end]] + 1]++;
    for (let p = 0; p < size; p++) start[p + 1] += start[p];
    const ordered = new Array(list.length);
    for (const edge of list) ordered[start[place[edge[end]]]++] = edge;
    return ordered;
  };
  const counted = () => byPlaces(byPlaces(componentEdges, 1), 0);
  const compared = () => [...componentEdges].sort((x, y) => place[x[0]] - place[y[0]] || place[x[1]] - place[y[1]]);
  const expectedEdges = compared();
  const sameEdges = counted().every((edge, i) => edge === expectedEdges[i]);
  console.log(` ${componentEdges.length.toLocaleString('en-US')} edges of a component of ${size.toLocaleString('en-US')} accounts:`);
  row('two stable counting passes by place (as written)', measure(componentEdges.length, () => {
    sink += counted().length;
  }), sameEdges ? 'same order' : 'DIFFERENT ORDER');
  row('a comparator on both ends\' places (before)', measure(componentEdges.length, () => {
    sink += compared().length;
  }));
}

if (sink === 0.5) console.log(sink);
