import { PAD, SHAPE_HEAD, SHAPE_POSITIONS, SHAPE_TAIL, WILDCARD } from './template-shape.js';
import { SLOT_NAMES, displayTokens } from './text-scanner.js';

/**
 * A Drain-style template miner (He et al., "Drain: An Online Log Parsing Approach with Fixed
 * Depth Tree", ICWS 2017) over template shapes: the first 8 and last 8 masked tokens of a text
 * (see `template-shape.ts`), so it runs on what the store keeps even with `--text none`.
 *
 * As in Drain, a text joins the most similar template of its length group when enough positions
 * agree, and the positions where they differ become slots (`<*>`); otherwise it starts a new
 * template. Drain's fixed-depth prefix tree is replaced by an index on the tokens at four
 * positions (the first two and the last two), because prompt templates often put their slot
 * first ("{question} Think step by step ...") and a prefix tree would never see them. Lengths
 * are grouped by half-octave above 16 tokens and a template accepts texts from nearby groups,
 * since a slot filled with free text changes the length.
 *
 * Online and deterministic: the same texts in the same order give the same templates and ids,
 * which is what lets the batch analysis and the live service share it.
 */

export interface TemplateMinerOptions {
  /** Share of positions that must agree for a text to join a template (Drain's `st`). */
  similarity?: number;
  /** Texts with fewer tokens get no template (greetings and one-liners are not templates). */
  minTokens?: number;
  /** Templates kept per index entry; the least recently matched fall out first. */
  maxCandidates?: number;
  /**
   * When this many templates exist, the least used are forgotten (those filled once first, then
   * the least often and least recently filled) until a quarter of the room is free again.
   */
  maxTemplates?: number;
  /**
   * How far apart (in half-octaves of length) two texts of more than 16 tokens may be and still
   * fill one template: a slot holding a question makes the length vary a lot.
   */
  lengthTolerance?: number;
}

export interface MinedTemplate {
  readonly id: number;
  /** 16 positions: token values, `WILDCARD` for slots, `PAD` past the end of short texts. */
  readonly tokens: Uint16Array;
  readonly lengthGroup: number;
  /** Texts assigned to the template so far. */
  count: number;
}

export interface TemplateMiner {
  /**
   * Assigns a shape to a template and returns its id, or -1 when the text is too short.
   * `contentOutsideText`: what varies between the text's fills is not in the text but beside it
   * (the images an instruction asks about), so a text shorter than `minTokens` is a template
   * too, one that only texts exactly like it join: an image harness sends one short instruction
   * verbatim with every image, where the same few words typed as a message are not a harness.
   */
  add(shape: ArrayLike<number>, tokenCount: number, contentOutsideText?: boolean): number;
  get(id: number): MinedTemplate | undefined;
  templates(): IterableIterator<MinedTemplate>;
  readonly size: number;
}

const INDEX_POSITIONS = [0, 1, SHAPE_POSITIONS - 2, SHAPE_POSITIONS - 1];
/** Templates per block of the token pool (2^12 × 16 positions × 2 bytes = 128 KiB). */
const BLOCK_BITS = 12;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;

/** Length group: exact up to 16 tokens, then half-octaves (16-22, 23-31, 32-45, ...). */
export function lengthGroupOf(tokenCount: number): number {
  if (tokenCount <= SHAPE_POSITIONS) return tokenCount;
  return SHAPE_POSITIONS + 1 + Math.floor(2 * Math.log2(tokenCount / SHAPE_POSITIONS));
}

interface Template extends MinedTemplate {
  /** A view of `slot`'s 16 positions in the token pool (`tokens` shares its memory). */
  readonly tokens: Uint16Array;
  /** Where its tokens sit: the pool block and the offset of its first position there. */
  readonly block: Uint16Array;
  readonly offset: number;
  readonly slot: number;
  wildcards: number;
  /** The search that last looked at this template (a template sits in up to four lists). */
  mark: number;
  /** The add() that last filled it: recency breaks ties between equally used templates. */
  lastFilled: number;
}

/** Short texts must match in length exactly; longer ones may differ by `tolerance` groups. */
function groupsCompatible(a: number, b: number, tolerance: number): boolean {
  if (a <= SHAPE_POSITIONS || b <= SHAPE_POSITIONS) return a === b;
  return Math.abs(a - b) <= tolerance;
}

/**
 * @example
 * const miner = createTemplateMiner({ similarity: 0.5 });
 * const id = miner.add(shape, tokenCount); // same id for every fill of one template
 */
export function createTemplateMiner({
  similarity = 0.5,
  minTokens = 5,
  maxCandidates = 24,
  maxTemplates = 200_000,
  lengthTolerance = 4,
}: TemplateMinerOptions = {}): TemplateMiner {
  const templates = new Map<number, Template>();
  // Every template's 16 positions sit side by side in blocks of one pool, not in an array of
  // their own: a search scores dozens of candidates, and on the live path (one small batch at a
  // time between other work) scattered arrays cost a cache miss each. A forgotten template's
  // slot is reused; blocks are never moved, so a template's view stays valid while it lives.
  const blocks: Uint16Array[] = [];
  const freeSlots: number[] = [];
  let slotsUsed = 0;
  const claimSlot = (): number => {
    const reused = freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = slotsUsed++;
    if (slot >>> BLOCK_BITS >= blocks.length) blocks.push(new Uint16Array(SHAPE_POSITIONS << BLOCK_BITS));
    return slot;
  };
  // Index key: position (2 bits) and token (16 bits); values: most recently matched first.
  const index = new Map<number, Template[]>();
  // Exact shapes seen before, so repeats of one shape skip the search.
  const exact = new Map<number, number>();
  const maxExact = Math.max(1024, maxTemplates * 4);
  let nextId = 0;

  const indexKey = (slot: number, token: number) => slot * 0x10000 + token;

  const insertIntoIndex = (template: Template) => {
    for (let slot = 0; slot < INDEX_POSITIONS.length; slot++) {
      const token = template.tokens[INDEX_POSITIONS[slot]!]!;
      if (token === PAD || token === WILDCARD) continue;
      const key = indexKey(slot, token);
      let list = index.get(key);
      if (list === undefined) index.set(key, (list = []));
      list.unshift(template);
      if (list.length > maxCandidates) list.pop();
    }
  };

  const touch = (template: Template, seq: ArrayLike<number>) => {
    // Move to the front of the lists the text came through, so frequent templates stay findable.
    for (let slot = 0; slot < INDEX_POSITIONS.length; slot++) {
      const token = seq[INDEX_POSITIONS[slot]!]!;
      if (token === PAD || template.tokens[INDEX_POSITIONS[slot]!] !== token) continue;
      const list = index.get(indexKey(slot, token));
      if (list === undefined) continue;
      const at = list.indexOf(template);
      if (at > 0) {
        list.splice(at, 1);
        list.unshift(template);
      } else if (at === -1) {
        list.unshift(template);
        if (list.length > maxCandidates) list.pop();
      }
    }
  };

  const score = (template: Template, seq: ArrayLike<number>, length: number): number => {
    let same = 0;
    const block = template.block;
    const offset = template.offset;
    for (let i = 0; i < SHAPE_POSITIONS; i++) {
      const token = block[offset + i]!;
      if (token !== WILDCARD && token !== PAD && token === seq[i]) same++;
    }
    return same / length;
  };

  // Freeing a quarter of the room per sweep keeps eviction amortised O(log n) per new template
  // whatever the traffic: a flood of distinct prompts each sent twice leaves no template filled
  // only once, and forgetting just those would rescan every template for each new one.
  const keepAfterSweep = Math.floor(maxTemplates * 0.75);
  const sweep = () => {
    const forget = (template: Template) => {
      templates.delete(template.id);
      freeSlots.push(template.slot);
    };
    for (const template of templates.values()) if (template.count <= 1) forget(template);
    if (templates.size > keepAfterSweep) {
      const byUse = [...templates.values()].sort((a, b) => a.count - b.count || a.lastFilled - b.lastFilled);
      for (let i = 0; i < byUse.length - keepAfterSweep; i++) forget(byUse[i]!);
    }
    // Lowest slots first, so that the next templates fill the earliest blocks.
    freeSlots.sort((a, b) => b - a);
    for (const [key, list] of index) {
      const kept = list.filter((template) => templates.has(template.id));
      if (kept.length === 0) index.delete(key);
      else index.set(key, kept);
    }
    exact.clear();
  };

  let stamp = 0;
  let filled = 0;

  return {
    add(shape, tokenCount, contentOutsideText = false) {
      if (tokenCount <= 0 || (tokenCount < minTokens && !contentOutsideText)) return -1;
      // Texts under minTokens fall in length groups no longer text reaches (groups are exact
      // up to 16 tokens), so requiring every position to agree there binds only such texts.
      const required = tokenCount < minTokens ? 1 : similarity;
      const group = lengthGroupOf(tokenCount);
      const length = Math.min(tokenCount, SHAPE_POSITIONS);
      let h = group * 0x9e3779b1;
      for (let i = 0; i < SHAPE_POSITIONS; i++) h = Math.imul(h ^ shape[i]!, 0x01000193);
      const cached = exact.get(h);
      if (cached !== undefined) {
        const template = templates.get(cached);
        if (template !== undefined && groupsCompatible(template.lengthGroup, group, lengthTolerance) && score(template, shape, length) >= required) {
          template.count++;
          template.lastFilled = ++filled;
          return template.id;
        }
      }

      stamp++;
      let best: Template | null = null;
      let bestScore = -1;
      for (let slot = 0; slot < INDEX_POSITIONS.length; slot++) {
        const token = shape[INDEX_POSITIONS[slot]!]!;
        if (token === PAD) continue;
        const list = index.get(indexKey(slot, token));
        if (list === undefined) continue;
        for (const template of list) {
          if (template.mark === stamp) continue;
          template.mark = stamp;
          if (!groupsCompatible(template.lengthGroup, group, lengthTolerance)) continue;
          const s = score(template, shape, length);
          if (s > bestScore || (s === bestScore && best !== null && template.wildcards < best.wildcards)) {
            best = template;
            bestScore = s;
          }
        }
      }

      let template: Template;
      if (best !== null && bestScore >= required) {
        template = best;
        template.count++;
        template.lastFilled = ++filled;
        const block = template.block;
        const offset = template.offset;
        for (let i = 0; i < SHAPE_POSITIONS; i++) {
          const token = block[offset + i]!;
          if (token !== WILDCARD && token !== shape[i]) {
            block[offset + i] = WILDCARD;
            template.wildcards++;
          }
        }
        touch(template, shape);
      } else {
        // Sweep before adding, never after: the new template has one use and would be swept
        // away while its id is being returned.
        if (templates.size >= maxTemplates) sweep();
        const slot = claimSlot();
        const block = blocks[slot >>> BLOCK_BITS]!;
        const offset = (slot & BLOCK_MASK) * SHAPE_POSITIONS;
        for (let i = 0; i < SHAPE_POSITIONS; i++) block[offset + i] = shape[i]!;
        const tokens = block.subarray(offset, offset + SHAPE_POSITIONS);
        template = { id: nextId++, tokens, block, offset, slot, lengthGroup: group, count: 1, wildcards: 0, mark: stamp, lastFilled: ++filled };
        templates.set(template.id, template);
        insertIntoIndex(template);
      }
      if (exact.size >= maxExact) exact.clear();
      exact.set(h, template.id);
      return template.id;
    },
    get: (id) => templates.get(id),
    templates: () => templates.values(),
    get size() {
      return templates.size;
    },
  };
}

/**
 * The template as text an analyst can read: the words of an example text at the template's
 * fixed positions, `<*>` at its slots, `…` where a long text's unread middle sits.
 *
 * @example renderTemplate(template, 'You are an expert chemist. Solve ...') // "you are an expert <*> solve … final answer"
 */
export function renderTemplate(template: MinedTemplate, exampleText: string | null, maxChars = 200): string | null {
  if (exampleText === null || exampleText.length === 0) return null;
  const words = displayTokens(exampleText);
  const shown: string[] = [];
  const long = words.length > SHAPE_POSITIONS;
  for (let i = 0; i < SHAPE_POSITIONS; i++) {
    const token = template.tokens[i]!;
    if (token === PAD) break;
    if (long && i === SHAPE_HEAD) shown.push('…');
    const word = long ? (i < SHAPE_HEAD ? words[i] : words[words.length - SHAPE_TAIL + (i - SHAPE_HEAD)]) : words[i];
    shown.push(token === WILDCARD ? '<*>' : (SLOT_NAMES[token] ?? word ?? '<?>'));
  }
  const text = shown.join(' ').replace(/(<\*> )+<\*>/g, '<*>');
  return text.length > maxChars ? text.slice(0, maxChars - 1) + '…' : text;
}
