import type { Rng } from './seeded-rng.js';

/**
 * Answers that read structure out of an image: tables as Markdown, CSV or JSON, and the fields
 * of a document as JSON. Values are drawn; only the shape matters.
 */
const COLUMNS = ['Item', 'Description', 'Qty', 'Unit price', 'Amount', 'Date', 'Region', 'Revenue', 'Units', 'Score', 'Category', 'Total'];
const CELLS = ['Widget A', 'Service fee', 'Shipping', 'Consulting', 'North', 'South', 'Licence', 'Support plan', 'Paper A4', 'Toner', 'Q1', 'Q2', 'Q3', 'Q4'];

function cell(rng: Rng, column: string): string | number {
  if (/Qty|Units|Score/.test(column)) return rng.range(1, 250);
  if (/price|Amount|Revenue|Total/.test(column)) return Math.round(rng.uniform(1, 9999) * 100) / 100;
  if (column === 'Date') return `2025-${String(rng.range(1, 12)).padStart(2, '0')}-${String(rng.range(1, 28)).padStart(2, '0')}`;
  return rng.pick(CELLS);
}

/** A table in the format the instruction asks for, of about `length` characters. */
export function structuredTable(rng: Rng, instruction: string, length: number): string {
  const start = rng.int(COLUMNS.length);
  const columns = Array.from({ length: rng.range(3, 5) }, (_, i) => COLUMNS[(start + i * 2) % COLUMNS.length]!);
  const rows: (string | number)[][] = [];
  let size = 0;
  while (size < length && rows.length < 40) {
    const row = columns.map((column) => cell(rng, column));
    rows.push(row);
    size += row.join(' | ').length + 6;
  }
  if (/JSON/.test(instruction)) {
    return JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((column, i) => [column.toLowerCase().replace(/ /g, '_'), row[i]]))), null, 2);
  }
  if (/CSV/.test(instruction)) return [columns.join(','), ...rows.map((row) => row.join(','))].join('\n');
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

const FIELDS = ['invoice_number', 'vendor', 'date', 'due_date', 'customer', 'currency', 'subtotal', 'tax', 'total', 'iban', 'po_number'];

/** The JSON a fixed extraction template asks for: document fields plus line items. */
export function extractedDocument(rng: Rng, length: number): string {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) out[field] = /total|tax|subtotal/.test(field) ? Math.round(rng.uniform(10, 50_000) * 100) / 100 : /date/.test(field) ? `2026-0${rng.range(1, 3)}-${String(rng.range(10, 28))}` : `${field.slice(0, 3).toUpperCase()}-${rng.range(1000, 99999)}`;
  const items: Record<string, unknown>[] = [];
  let size = JSON.stringify(out).length;
  while (size < length && items.length < 30) {
    const item = { description: rng.pick(CELLS), quantity: rng.range(1, 40), unit_price: Math.round(rng.uniform(1, 900) * 100) / 100 };
    items.push(item);
    size += JSON.stringify(item).length;
  }
  out.line_items = items;
  return JSON.stringify(out);
}
