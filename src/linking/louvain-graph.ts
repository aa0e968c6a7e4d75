import louvainModule from 'graphology-communities-louvain';
import type { AbstractGraph } from 'graphology-types';
import { grownFloat, grownInt } from '../util/grown-array.js';

// The package is CommonJS (`module.exports = louvain`) with an ES-style `export default` in its
// types, so under NodeNext the default import is typed as the module and is the function at run
// time; this takes whichever it is.
type Louvain = typeof louvainModule.default;
export const louvain: Louvain = (louvainModule as unknown as { default?: Louvain }).default ?? (louvainModule as unknown as Louvain);

/**
 * An undirected weighted graph in flat arrays, for community detection. graphology-communities-
 * louvain reads a graph only to build its own index: the nodes in order with their degrees, then
 * one sweep over the edges with their weights. A graphology graph keeps an object, a generated
 * string key and two adjacency entries per edge, and building one cost the linker more than
 * Louvain itself (`npm run bench:hotpaths -- --only louvain`); this keeps three numbers per edge.
 *
 * It answers what the library reads, in the order a graphology graph built with the same
 * `addNode` and `addEdge` calls answers it (nodes and edges in insertion order, each edge's ends
 * as given), so the communities found are the same to the bit. It is not a graphology graph:
 * anything else the library could call on one throws.
 */
export class LouvainGraph {
  /** What graphology-utils' `isGraph` and `inferType` read to accept a graph. */
  readonly multi = false;
  readonly type = 'undirected';
  readonly selfLoopCount = 0;

  private readonly keys: string[] = [];
  private readonly indexOf = new Map<string, number>();
  private degrees = new Int32Array(16);
  private sources = new Int32Array(16);
  private targets = new Int32Array(16);
  private weights = new Float64Array(16);
  private edges = 0;
  /** One attributes object, refilled for each edge the sweep hands out: read before the next. */
  private readonly attributes = { weight: 0 };

  get order(): number {
    return this.keys.length;
  }

  get size(): number {
    return this.edges;
  }

  addNode(key: number): void {
    const name = String(key);
    if (this.indexOf.has(name)) throw new Error(`LouvainGraph: node ${name} added twice`);
    if (this.keys.length === this.degrees.length) this.degrees = grownInt(this.degrees);
    this.indexOf.set(name, this.keys.length);
    this.keys.push(name);
  }

  /** An edge between two added nodes; each pair at most once, as in a simple graphology graph. */
  addEdge(source: number, target: number, weight: number): void {
    const a = this.indexOf.get(String(source));
    const b = this.indexOf.get(String(target));
    if (a === undefined || b === undefined) throw new Error(`LouvainGraph: edge ${source}-${target} between nodes not added`);
    if (a === b) throw new Error(`LouvainGraph: no self loops (${source})`);
    if (this.edges === this.sources.length) {
      this.sources = grownInt(this.sources);
      this.targets = grownInt(this.targets);
      this.weights = grownFloat(this.weights);
    }
    this.sources[this.edges] = a;
    this.targets[this.edges] = b;
    this.weights[this.edges] = weight;
    this.edges++;
    this.degrees[a]!++;
    this.degrees[b]!++;
  }

  forEachNode(callback: (node: string, attributes: object) => void): void {
    for (const key of this.keys) callback(key, NO_ATTRIBUTES);
  }

  undirectedDegreeWithoutSelfLoops(node: string): number {
    const index = this.indexOf.get(node);
    if (index === undefined) throw new Error(`LouvainGraph: no node ${node}`);
    return this.degrees[index]!;
  }

  forEachEdge(callback: (edge: number, attributes: { weight: number }, source: string, target: string, sourceAttributes: object, targetAttributes: object, undirected: boolean) => void): void {
    const attributes = this.attributes;
    for (let e = 0; e < this.edges; e++) {
      attributes.weight = this.weights[e]!;
      callback(e, attributes, this.keys[this.sources[e]!]!, this.keys[this.targets[e]!]!, NO_ATTRIBUTES, NO_ATTRIBUTES, true);
    }
  }

  /** This graph typed as the library's argument: it answers every call community detection makes. */
  asGraph(): AbstractGraph {
    return this as unknown as AbstractGraph;
  }

  // Present because graphology-utils' `isGraph` checks for them; community detection never calls them.
  addUndirectedEdgeWithKey(): never {
    throw new Error('LouvainGraph: edges are added with addEdge');
  }

  dropNode(): never {
    throw new Error('LouvainGraph: nodes cannot be dropped');
  }
}

const NO_ATTRIBUTES = Object.freeze({});
