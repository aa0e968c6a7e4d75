import { useEffect, useRef, useState } from 'react';
import Graph from 'graphology';
import Sigma from 'sigma';

export interface GraphNode {
  id: string;
  kind: string;
  label: string;
  score?: number;
  flagged?: boolean;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
  explanation: string;
  exchanges: number | null;
}

const KIND_COLOURS: Record<string, string> = {
  account: '#868e96',
  ip: '#1f6feb',
  subnet: '#4dabf7',
  user_agent: '#ae3ec9',
  tls_fingerprint: '#9c36b5',
  payment: '#d9480f',
  signup_ip: '#2f9e44',
};

/**
 * Member accounts on an outer ring, the traits they share on an inner one, so each trait sits
 * among the accounts that use it. Hovering an edge says why it is there.
 */
export function GraphView({ nodes, edges, onAccount }: { nodes: GraphNode[]; edges: GraphEdge[]; onAccount: (accountId: string) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const graph = new Graph({ multi: false, type: 'undirected' });
    const accounts = nodes.filter((node) => node.kind === 'account');
    const traits = nodes.filter((node) => node.kind !== 'account');
    accounts.forEach((node, index) => {
      const angle = (2 * Math.PI * index) / Math.max(1, accounts.length);
      graph.addNode(node.id, {
        x: Math.cos(angle) * 10,
        y: Math.sin(angle) * 10,
        size: 4 + (node.score ?? 0) * 6,
        label: node.label,
        color: node.flagged ? '#c92a2a' : KIND_COLOURS.account,
      });
    });
    traits.forEach((node, index) => {
      const angle = (2 * Math.PI * index) / Math.max(1, traits.length);
      graph.addNode(node.id, { x: Math.cos(angle) * 4, y: Math.sin(angle) * 4, size: 7, label: node.label, color: KIND_COLOURS[node.kind] ?? '#495057' });
    });
    for (const edge of edges) {
      if (graph.hasNode(edge.source) && graph.hasNode(edge.target) && !graph.hasEdge(edge.source, edge.target)) {
        graph.addEdge(edge.source, edge.target, { label: edge.explanation, size: 1 + Math.min(4, Math.log10(1 + (edge.exchanges ?? 1))), color: '#ced4da' });
      }
    }
    let renderer: Sigma | null = null;
    // The graph is drawn after the rest of the page has painted: setting up WebGL is the slowest
    // step of the view (much slower still where the browser draws WebGL in software).
    const timer = setTimeout(() => {
      try {
        renderer = new Sigma(graph, element, { enableEdgeEvents: true, renderEdgeLabels: false, labelRenderedSizeThreshold: 8 });
        element.dataset.drawn = 'true';
        renderer.on('enterEdge', ({ edge }) => setHover(graph.getEdgeAttribute(edge, 'label') as string));
        renderer.on('leaveEdge', () => setHover(null));
        renderer.on('enterNode', ({ node }) => setHover(graph.getNodeAttribute(node, 'label') as string));
        renderer.on('leaveNode', () => setHover(null));
        renderer.on('clickNode', ({ node }) => {
          if (node.startsWith('account:')) onAccount(node.slice('account:'.length));
        });
      } catch {
        // No WebGL (some locked-down browsers): the table of links below says the same.
        setFailed(true);
      }
    }, 0);
    return () => {
      clearTimeout(timer);
      renderer?.kill();
    };
  }, [nodes, edges, onAccount]);

  return (
    <div>
      <div className="legend">
        {Object.entries(KIND_COLOURS).map(([kind, colour]) => (
          <span key={kind}>
            <i style={{ background: colour }} /> {kind.replaceAll('_', ' ')}
          </span>
        ))}
        <span>
          <i style={{ background: '#c92a2a' }} /> flagged account
        </span>
      </div>
      {failed ? <p className="hint">This browser cannot draw the graph (no WebGL); the links are listed below.</p> : <div className="graph" ref={container} aria-label="graph of member accounts and shared traits" role="img" />}
      <p className="hover" aria-live="polite">
        {hover ?? 'Hover a node or link to see what it is; click an account to open it.'}
      </p>
    </div>
  );
}
