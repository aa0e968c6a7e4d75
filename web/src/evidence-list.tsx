import type { Evidence } from './api.js';

/** Evidence as the engine weighs it, with the words that say how weights make a score. */
export function EvidenceList({ evidence, explanation, linkFor }: { evidence: Evidence[]; explanation: string; linkFor?: (item: Evidence) => { href: string; onClick: (event: React.MouseEvent) => void } }) {
  return (
    <section aria-labelledby="evidence-title">
      <h2 id="evidence-title">Evidence</h2>
      <p className="hint">{explanation}</p>
      {evidence.length === 0 ? (
        <p>No evidence.</p>
      ) : (
        <ol className="evidence">
          {evidence.map((item, index) => (
            <li key={`${item.signal}-${index}`}>
              <div className="evidence-head">
                <strong>{item.signal.replaceAll('_', ' ')}</strong>
                <span className={item.weight < 0 ? 'weight negative' : 'weight'} title="log-odds">
                  {item.weight >= 0 ? '+' : ''}
                  {item.weight.toFixed(2)} log-odds
                </span>
                {item.family && <span className="family">family {item.family}</span>}
              </div>
              <p>{item.detail}</p>
              {item.description && <p className="hint">{item.description}</p>}
              {item.examples.length > 0 && (
                <ul className="examples">
                  {item.examples.map((example, exampleIndex) => (
                    <li key={exampleIndex}>
                      <q>{example}</q>
                    </li>
                  ))}
                </ul>
              )}
              {linkFor && (
                <a className="evidence-link" {...linkFor(item)}>
                  Exchanges behind this ({item.exchange_filter})
                </a>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
