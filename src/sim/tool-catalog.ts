import type { Rng } from './seeded-rng.js';
import { sliceText } from './text-slice.js';

/**
 * Function tools that requests define and responses call: agent tools (shell, files, tests)
 * and app tools (weather, search, calendar ...). Each knows how to make plausible arguments and
 * a plausible result, so agent loops carry tool calls and tool results of the right shape.
 */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  args(rng: Rng, topic: string): Record<string, unknown>;
  result(rng: Rng, topic: string): string;
  /**
   * A tool the provider defines (Anthropic's versioned `computer_…` tool): its definition as
   * sent, and the input tokens the API adds for it, in place of a function schema.
   */
  anthropicBuiltin?: { definition: Record<string, unknown>; tokens: number };
}

const obj = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required });
// Parameter descriptions are left out, as many real tool schemas do: names say enough, and
// definitions are repeated in every request of an agent loop.
const str = (_description: string) => ({ type: 'string' });
const num = (_description: string) => ({ type: 'number' });

const FILES = ['src/app.py', 'src/utils.py', 'src/models/user.py', 'tests/test_api.py', 'src/index.ts', 'src/server.ts', 'lib/parser.go', 'src/main.rs', 'src/handlers/orders.ts', 'app/services/billing.py', 'README.md', 'package.json', 'pyproject.toml'];
const COMMANDS = ['pytest -q', 'npm test', 'go test ./...', 'cargo test', 'ls -la src', 'git status', 'git diff --stat', 'grep -rn "TODO" src', 'python -m mypy src', 'npm run lint', 'cat requirements.txt', 'pip install -e .'];
const CITIES = ['San Francisco', 'London', 'Berlin', 'Tokyo', 'Bangalore', 'São Paulo', 'Toronto', 'Sydney', 'Paris', 'Seoul', 'New York', 'Singapore'];
const TICKERS = ['AAPL', 'MSFT', 'NVDA', 'GOOGL', 'AMZN', 'TSLA', 'META', 'ASML', 'TSM', 'SAP'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'INR', 'BRL', 'CAD', 'AUD', 'KRW', 'SGD'];

function pytestOutput(rng: Rng): string {
  const passed = rng.range(4, 160);
  const failed = rng.chance(0.45) ? rng.range(1, 4) : 0;
  const head = `collected ${passed + failed} items\n`;
  const fail = failed > 0 ? `FAILED tests/test_api.py::test_${rng.pick(['parse', 'update', 'create', 'empty', 'unicode'])}_${rng.pick(['input', 'order', 'user', 'edge_case'])} - AssertionError: assert ${rng.range(0, 9)} == ${rng.range(10, 99)}\n` : '';
  return `${head}${fail}==== ${failed > 0 ? `${failed} failed, ` : ''}${passed} passed in ${rng.uniform(0.4, 19).toFixed(2)}s ====`;
}

function codeExcerpt(rng: Rng, topic: string): string {
  const name = topic.replace(/[^a-z]/gi, '_').toLowerCase().slice(0, 18) || 'handler';
  return rng.pick([
    `def ${name}(items):\n    result = []\n    for item in items:\n        if item is None:\n            continue\n        result.append(item)\n    return result\n`,
    `export function ${name}(input: string): string[] {\n  return input.split(',').map((part) => part.trim());\n}\n`,
    `func ${name}(r io.Reader) ([]Record, error) {\n\tdec := json.NewDecoder(r)\n\tvar out []Record\n\tfor dec.More() {\n\t\tvar rec Record\n\t\tif err := dec.Decode(&rec); err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\tout = append(out, rec)\n\t}\n\treturn out, nil\n}\n`,
    `class ${name.charAt(0).toUpperCase() + name.slice(1)}Service:\n    def __init__(self, repo):\n        self.repo = repo\n\n    def get(self, key):\n        return self.repo.find(key)\n`,
  ]);
}

export const AGENT_TOOLS: readonly ToolSpec[] = [
  {
    name: 'bash',
    description: 'Run a shell command.',
    parameters: obj({ command: str('Command') }, ['command']),
    args: (rng) => ({ command: rng.pick(COMMANDS) }),
    result: (rng) => (rng.chance(0.5) ? pytestOutput(rng) : `total ${rng.range(8, 60)}\n-rw-r--r-- 1 dev dev ${rng.range(200, 9000)} app.py\n-rw-r--r-- 1 dev dev ${rng.range(200, 9000)} utils.py\ndrwxr-xr-x 2 dev dev 4096 tests`),
  },
  {
    name: 'read_file',
    description: 'Read a file.',
    parameters: obj({ path: str('Path') }, ['path']),
    args: (rng) => ({ path: rng.pick(FILES) }),
    result: (rng, topic) => codeExcerpt(rng, topic),
  },
  {
    name: 'edit_file',
    description: 'Replace text in a file.',
    parameters: obj({ path: str('Path'), old_str: str('Old text'), new_str: str('New text') }, ['path', 'old_str', 'new_str']),
    args: (rng) => ({ path: rng.pick(FILES), old_str: 'return result', new_str: rng.pick(['return sorted(result)', 'return result or []', 'return list(dict.fromkeys(result))']) }),
    result: (rng) => `The file ${rng.pick(FILES)} has been edited. 1 occurrence replaced.`,
  },
  {
    name: 'run_tests',
    description: 'Run the tests.',
    parameters: obj({ path: str('Test path') }, []),
    args: (rng) => (rng.chance(0.5) ? { path: 'tests/test_api.py' } : {}),
    result: (rng) => pytestOutput(rng),
  },
  {
    name: 'search_code',
    description: 'Search files for a regex.',
    parameters: obj({ pattern: str('Regex'), path: str('Directory') }, ['pattern']),
    args: (_rng, topic) => ({ pattern: topic.split(' ')[0] ?? 'def ', path: 'src' }),
    result: (rng) => `${rng.pick(FILES)}:${rng.range(3, 300)}: def handle(request):\n${rng.pick(FILES)}:${rng.range(3, 300)}:     return handle(request)`,
  },
];

export const APP_TOOLS: readonly ToolSpec[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city.',
    parameters: obj({ location: str('City name'), unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, ['location']),
    args: (rng) => ({ location: rng.pick(CITIES), unit: rng.pick(['celsius', 'fahrenheit']) }),
    result: (rng) => JSON.stringify({ temperature: rng.range(-5, 35), condition: rng.pick(['sunny', 'cloudy', 'rain', 'snow', 'windy']), humidity: rng.range(20, 95) }),
  },
  {
    name: 'web_search',
    description: 'Search the web.',
    parameters: obj({ query: str('Query'), max_results: num('Results') }, ['query']),
    args: (rng, topic) => ({ query: sliceText(topic, 60), max_results: rng.pick([3, 5, 10]) }),
    result: (rng, topic) => JSON.stringify([{ title: `${sliceText(topic, 40)} - overview`, url: `https://en.wikipedia.org/wiki/${rng.chars(8, 'abcdefghijklmnopqrstuvwxyz')}`, snippet: 'A summary of the topic with key facts and dates.' }, { title: 'Guide and FAQ', url: 'https://example.org/guide', snippet: 'Frequently asked questions and answers.' }]),
  },
  {
    name: 'get_stock_price',
    description: 'Latest stock price.',
    parameters: obj({ ticker: str('Ticker') }, ['ticker']),
    args: (rng) => ({ ticker: rng.pick(TICKERS) }),
    result: (rng) => JSON.stringify({ price: Number(rng.uniform(20, 900).toFixed(2)), currency: 'USD', change_pct: Number(rng.uniform(-4, 4).toFixed(2)) }),
  },
  {
    name: 'convert_currency',
    description: 'Convert currency.',
    parameters: obj({ amount: num('Amount'), from: str('ISO code'), to: str('ISO code') }, ['amount', 'from', 'to']),
    args: (rng) => ({ amount: rng.range(5, 5000), from: rng.pick(CURRENCIES), to: rng.pick(CURRENCIES) }),
    result: (rng) => JSON.stringify({ converted: Number(rng.uniform(1, 9000).toFixed(2)), rate: Number(rng.uniform(0.005, 160).toFixed(4)) }),
  },
  {
    name: 'create_calendar_event',
    description: 'Create a calendar event.',
    parameters: obj({ title: str('Title'), start: str('ISO 8601 time'), duration_minutes: num('Minutes') }, ['title', 'start']),
    args: (rng, topic) => ({ title: sliceText(topic, 40), start: `2026-02-${String(rng.range(10, 28)).padStart(2, '0')}T${String(rng.range(8, 18)).padStart(2, '0')}:00:00`, duration_minutes: rng.pick([15, 30, 45, 60]) }),
    result: (rng) => JSON.stringify({ status: 'created', event_id: rng.chars(12, 'abcdefghijklmnopqrstuvwxyz0123456789') }),
  },
  {
    name: 'search_products',
    description: 'Search products.',
    parameters: obj({ query: str('Query'), max_price: num('Max price') }, ['query']),
    args: (rng, topic) => ({ query: sliceText(topic, 40), max_price: rng.pick([50, 100, 250, 500]) }),
    result: (rng) => JSON.stringify({ results: [{ id: rng.range(1000, 99999), name: 'Item A', price: rng.range(5, 400) }, { id: rng.range(1000, 99999), name: 'Item B', price: rng.range(5, 400) }] }),
  },
  {
    name: 'python',
    description: 'Run Python code.',
    parameters: obj({ code: str('Code') }, ['code']),
    args: (rng) => ({ code: rng.pick(['import pandas as pd\ndf = pd.read_csv("data.csv")\nprint(df.describe())', 'print(sum(range(1, 101)))', 'import math\nprint(math.comb(10, 3))', 'df.groupby("region")["revenue"].sum().sort_values()']) }),
    result: (rng) => `${rng.range(1, 9999)}.${rng.range(0, 99)}\n`,
  },
  {
    name: 'sql_query',
    description: 'Run a read-only SQL query.',
    parameters: obj({ query: str('SQL') }, ['query']),
    args: (rng) => ({ query: rng.pick(['SELECT region, SUM(revenue) FROM sales GROUP BY region', 'SELECT COUNT(*) FROM users WHERE created_at > now() - interval \'7 days\'', 'SELECT product, AVG(margin) FROM orders GROUP BY product ORDER BY 2 DESC LIMIT 5']) }),
    result: (rng) => JSON.stringify({ rows: [[rng.pick(['EMEA', 'APAC', 'AMER']), rng.range(1000, 90000)], [rng.pick(['EMEA', 'APAC', 'AMER']), rng.range(1000, 90000)]] }),
  },
  {
    name: 'send_email',
    description: 'Send an email.',
    parameters: obj({ to: str('Address'), subject: str('Subject'), body: str('Body') }, ['to', 'subject', 'body']),
    args: (rng, topic) => ({ to: `${rng.pick(['alex', 'sam', 'team', 'support'])}@example.com`, subject: sliceText(topic, 40), body: 'Hi, following up on our conversation. Best regards.' }),
    result: () => JSON.stringify({ status: 'sent' }),
  },
  {
    name: 'fetch_url',
    description: 'Fetch a web page.',
    parameters: obj({ url: str('URL') }, ['url']),
    args: (rng) => ({ url: `https://docs.example.com/${rng.pick(['api', 'guide', 'reference', 'faq'])}` }),
    result: () => 'Documentation page. Section 1: Overview. Section 2: Authentication uses bearer tokens. Section 3: Rate limits apply per key.',
  },
];

/** Some tools in a stable order for one app or campaign: requests repeat the same definitions. */
export function pickToolset(tools: readonly ToolSpec[], rng: Rng, min: number, max: number): ToolSpec[] {
  const count = Math.min(tools.length, rng.range(min, max));
  const start = rng.int(tools.length);
  const out: ToolSpec[] = [];
  for (let i = 0; i < count; i++) out.push(tools[(start + i * 3) % tools.length]!);
  return [...new Set(out)];
}
