import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import type { AdversarialCase, AdversarialContext } from './adversarial-traffic.js';

export interface LogSpan {
  startMs: number;
  endMs: number;
  models: string[];
  exchanges: number;
}

function lines(path: string) {
  const input = createReadStream(path);
  return createInterface({ input: path.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
}

/** The time span and models of an ordinary log, so attack traffic can be placed inside it. */
export async function readLogSpan(path: string): Promise<LogSpan> {
  let startMs = Infinity;
  let endMs = -Infinity;
  let exchanges = 0;
  const models = new Map<string, number>();
  for await (const line of lines(path)) {
    if (line.length === 0) continue;
    const exchange = JSON.parse(line) as { ts: string; request?: { model?: unknown } };
    exchanges++;
    const ts = Date.parse(exchange.ts);
    if (ts < startMs) startMs = ts;
    if (ts > endMs) endMs = ts;
    const model = exchange.request?.model;
    if (typeof model === 'string') models.set(model, (models.get(model) ?? 0) + 1);
  }
  if (exchanges === 0) throw new Error(`${path}: no exchanges to place adversarial traffic among`);
  return { startMs, endMs, models: [...models.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([model]) => model), exchanges };
}

async function writeAll(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Writes `base` followed by the case's records as one gzipped log at `out`; returns how many the case added. */
export async function writeAdversarialLog(options: {
  base: string;
  out: string;
  adversarialCase: AdversarialCase;
  context: AdversarialContext;
}): Promise<number> {
  const gzip = createGzip({ level: 1 });
  const file = createWriteStream(options.out);
  gzip.pipe(file);
  for await (const line of lines(options.base)) if (line.length > 0) await writeAll(gzip, line + '\n');
  let added = 0;
  let batch = '';
  for (const exchange of options.adversarialCase.exchanges(options.context)) {
    batch += JSON.stringify(exchange) + '\n';
    added++;
    if (batch.length > 1 << 20) {
      await writeAll(gzip, batch);
      batch = '';
    }
  }
  if (batch.length > 0) await writeAll(gzip, batch);
  gzip.end();
  await once(file, 'close');
  return added;
}
