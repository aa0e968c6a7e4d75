import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random.js';
import { louvain, LouvainGraph } from './louvain-graph.js';

/** A graph of planted groups with noise between them, as nodes and weighted edges in insertion order. */
function plantedGraph(seed: number): { nodes: number[]; edges: [number, number, number][] } {
  const rng = seededRandom(seed);
  const count = 40 + Math.floor(rng() * 160);
  const groups = 2 + Math.floor(rng() * 8);
  const nodes = Array.from({ length: count }, (_, i) => i * 7 + Math.floor(rng() * 5));
  const seen = new Set<string>();
  const edges: [number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      const together = i % groups === j % groups;
      if (rng() < (together ? 0.3 : 0.02)) {
        const [a, b] = rng() < 0.5 ? [nodes[i]!, nodes[j]!] : [nodes[j]!, nodes[i]!];
        const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push([a, b, 0.3 + rng() * 0.7]);
      }
    }
  }
  return { nodes, edges };
}

describe('Louvain graph', () => {
  it('gives community detection the communities, count and modularity a graphology graph of the same calls gives', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { nodes, edges } = plantedGraph(seed);
      const reference = new UndirectedGraph({ allowSelfLoops: false });
      const flat = new LouvainGraph();
      for (const node of nodes) {
        reference.addNode(String(node));
        flat.addNode(node);
      }
      for (const [a, b, w] of edges) {
        reference.addEdge(String(a), String(b), { weight: w });
        flat.addEdge(a, b, w);
      }
      for (const resolution of [0.6, 1, 3]) {
        const options = { getEdgeWeight: 'weight', resolution };
        const expected = louvain.detailed(reference, { ...options, rng: seededRandom(seed) });
        const found = louvain.detailed(flat.asGraph(), { ...options, rng: seededRandom(seed) });
        expect(found.communities, `seed ${seed}, resolution ${resolution}`).toEqual(expected.communities);
        expect(found.count).toBe(expected.count);
        expect(found.modularity).toBe(expected.modularity);
        expect(found.count).toBeGreaterThan(1);
      }
    }
  });

  it('gives a graph without edges each node its own community, as graphology does', () => {
    const reference = new UndirectedGraph({ allowSelfLoops: false });
    const flat = new LouvainGraph();
    for (const node of [5, 3, 9]) {
      reference.addNode(String(node));
      flat.addNode(node);
    }
    const found = louvain(flat.asGraph(), { getEdgeWeight: 'weight' });
    expect(Object.entries(found)).toEqual(Object.entries(louvain(reference, { getEdgeWeight: 'weight' })));
    expect(new Set(Object.values(found)).size).toBe(3);
  });

  it('refuses what a simple graph of added nodes cannot hold', () => {
    const flat = new LouvainGraph();
    flat.addNode(1);
    flat.addNode(2);
    expect(() => flat.addNode(1)).toThrow(/added twice/);
    expect(() => flat.addEdge(1, 3, 1)).toThrow(/not added/);
    expect(() => flat.addEdge(2, 2, 1)).toThrow(/self loops/);
  });
});
