/**
 * Phrases and snippets that responses are assembled from, per capability: prose connectors,
 * code blocks, reasoning steps, grading language, refusals. Responses are recombined from these
 * and from statement sentences harvested from the corpora, which keeps generation cheap and
 * the text varied.
 */

export const PROSE_OPENERS = [
  'Sure! ', 'Great question. ', 'Here\'s an overview. ', 'Certainly. ', 'Good question! ', 'Here\'s what I\'d suggest. ', 'Absolutely. ', '',
  'Let me break this down. ', 'Happy to help. ', 'Short answer first, then the details. ', 'There are a few things to consider here. ',
];

export const PROSE_SENTENCES = [
  'The key idea is to start with the simplest version that works and refine it from there.',
  'It helps to separate what you know for certain from what you are assuming.',
  'In practice, the right choice depends on your constraints, such as time, budget and experience.',
  'A common mistake is to optimise too early, before the basic approach has been validated.',
  'Most experts recommend writing down the goal in one sentence before choosing a method.',
  'This approach is widely used because it is simple, predictable and easy to explain to others.',
  'There are trade-offs: the faster option is usually less flexible, and the flexible option takes longer to set up.',
  'If you are unsure, try both on a small example and compare the results.',
  'The main benefit is consistency, which matters more over time than any single clever trick.',
  'Keep in mind that the details vary by region and may have changed recently.',
  'Another useful perspective is to ask what would happen if you did nothing at all.',
  'Historically, this idea developed gradually rather than through a single breakthrough.',
  'For most people, a combination of small habits works better than one big change.',
  'The evidence here is mixed, so it is worth treating strong claims with some caution.',
  'Once the basics are in place, you can add more advanced techniques step by step.',
  'Clear communication with the people involved often solves more problems than technical fixes.',
  'A good rule of thumb is to focus on the few factors that account for most of the outcome.',
  'Documentation and small examples make it much easier to come back to this later.',
];

export const PROSE_BULLET_LEADS = ['Key points:', 'A few options:', 'Things to consider:', 'Here are some ideas:', 'In summary:', 'Steps you can take:'];

export const PROSE_CLOSERS = [
  '\n\nLet me know if you\'d like me to go deeper on any of these.', '\n\nI hope this helps!', '\n\nWould you like an example?', '',
  '\n\nIf you share more details, I can tailor this further.', '\n\nGood luck!', '',
];

export const CODE_SNIPPETS: Record<string, readonly string[]> = {
  python: [
    'def {name}(items: list[int]) -> list[int]:\n    """Return the items sorted without duplicates."""\n    seen = set()\n    result = []\n    for item in sorted(items):\n        if item not in seen:\n            seen.add(item)\n            result.append(item)\n    return result\n',
    'import collections\n\n\ndef {name}(text: str, k: int = 3) -> list[tuple[str, int]]:\n    words = [w.strip(".,!?").lower() for w in text.split()]\n    counts = collections.Counter(w for w in words if w)\n    return counts.most_common(k)\n',
    'from dataclasses import dataclass\n\n\n@dataclass\nclass {Name}:\n    id: int\n    name: str\n    active: bool = True\n\n    def deactivate(self) -> None:\n        self.active = False\n',
    'import requests\n\n\ndef {name}(url: str, timeout: float = 10.0) -> dict:\n    response = requests.get(url, timeout=timeout)\n    response.raise_for_status()\n    return response.json()\n',
    'def {name}(n: int) -> int:\n    if n < 2:\n        return n\n    a, b = 0, 1\n    for _ in range(n - 1):\n        a, b = b, a + b\n    return b\n',
    'import pandas as pd\n\ndf = pd.read_csv("data.csv")\nsummary = df.groupby("category")["value"].agg(["mean", "median", "count"])\nprint(summary.sort_values("mean", ascending=False))\n',
    'def {name}(grid: list[list[int]]) -> int:\n    rows, cols = len(grid), len(grid[0])\n    best = [[0] * cols for _ in range(rows)]\n    for r in range(rows):\n        for c in range(cols):\n            up = best[r - 1][c] if r else 0\n            left = best[r][c - 1] if c else 0\n            best[r][c] = grid[r][c] + max(up, left)\n    return best[-1][-1]\n',
    'import asyncio\n\n\nasync def {name}(urls: list[str]) -> list[int]:\n    async def fetch(url: str) -> int:\n        await asyncio.sleep(0.1)\n        return len(url)\n    return await asyncio.gather(*(fetch(u) for u in urls))\n',
    'def test_{name}():\n    assert {name}([]) == []\n    assert {name}([3, 1, 3]) == [1, 3]\n',
  ],
  typescript: [
    'export function {name}<T>(items: T[], key: (item: T) => string): Map<string, T[]> {\n  const groups = new Map<string, T[]>();\n  for (const item of items) {\n    const k = key(item);\n    const list = groups.get(k) ?? [];\n    list.push(item);\n    groups.set(k, list);\n  }\n  return groups;\n}\n',
    'export async function {name}(url: string): Promise<unknown> {\n  const response = await fetch(url, { headers: { Accept: \'application/json\' } });\n  if (!response.ok) throw new Error(`HTTP ${response.status}`);\n  return response.json();\n}\n',
    'interface {Name} {\n  id: string;\n  createdAt: Date;\n  tags: string[];\n}\n\nexport const is{Name} = (value: unknown): value is {Name} =>\n  typeof value === \'object\' && value !== null && \'id\' in value;\n',
    'export function {name}(fn: () => void, wait = 200): () => void {\n  let timer: ReturnType<typeof setTimeout> | undefined;\n  return () => {\n    clearTimeout(timer);\n    timer = setTimeout(fn, wait);\n  };\n}\n',
  ],
  javascript: [
    'function {name}(arr) {\n  return arr.reduce((acc, x) => acc + x, 0) / (arr.length || 1);\n}\n\nconsole.log({name}([1, 2, 3, 4]));\n',
    'const express = require(\'express\');\nconst app = express();\n\napp.get(\'/health\', (req, res) => res.json({ ok: true }));\napp.listen(3000, () => console.log(\'listening on 3000\'));\n',
  ],
  sql: [
    'SELECT customer_id,\n       COUNT(*) AS orders,\n       SUM(total) AS revenue\nFROM orders\nWHERE created_at >= DATE \'2025-01-01\'\nGROUP BY customer_id\nHAVING COUNT(*) > 3\nORDER BY revenue DESC\nLIMIT 10;\n',
    'WITH ranked AS (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY dept ORDER BY salary DESC) AS rn\n  FROM employees\n)\nSELECT dept, name, salary FROM ranked WHERE rn <= 3;\n',
  ],
  go: [
    'func {name}(values []int) map[int]int {\n\tcounts := make(map[int]int, len(values))\n\tfor _, v := range values {\n\t\tcounts[v]++\n\t}\n\treturn counts\n}\n',
    'func {name}(ctx context.Context, url string) ([]byte, error) {\n\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tresp, err := http.DefaultClient.Do(req)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tdefer resp.Body.Close()\n\treturn io.ReadAll(resp.Body)\n}\n',
  ],
  rust: ['fn {name}(input: &str) -> Vec<&str> {\n    input\n        .split_whitespace()\n        .filter(|w| w.len() > 3)\n        .collect()\n}\n'],
  java: ['public static int {name}(int[] nums) {\n    int best = Integer.MIN_VALUE, current = 0;\n    for (int n : nums) {\n        current = Math.max(n, current + n);\n        best = Math.max(best, current);\n    }\n    return best;\n}\n'],
  bash: ['#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.log; do\n  gzip -9 "$f"\ndone\n', 'find . -name "*.py" -mtime -7 | xargs wc -l | sort -n | tail\n'],
};

export const CODE_INTROS = ['Here\'s a clean implementation:', 'You can do it like this:', 'Here is one way to write it:', 'This should work:', 'A straightforward solution:', 'Here\'s the fixed version:'];

export const CODE_NOTES = [
  'The function runs in linear time and uses constant extra space apart from the output.',
  'Edge cases such as an empty input are handled explicitly.',
  'I used descriptive names so the intent is clear without comments.',
  'If the input can be very large, consider streaming it instead of loading it all at once.',
  'Add tests for the boundary values before relying on this in production.',
  'The type hints make it easier for editors and linters to catch mistakes.',
  'Error handling is kept minimal here; wrap the call if failures must not propagate.',
];

export const STEP_VERBS = [
  'Identify what is given', 'Set up the relationship', 'Compute the intermediate value', 'Substitute back', 'Simplify', 'Check the units',
  'Consider the constraint', 'Combine the results', 'Verify the answer', 'Rule out the alternatives',
];

export const REASONING_PHRASES = [
  'Let me start by restating what is being asked.', 'First, I need to figure out which quantities are known.', 'Hmm, that does not look right; let me recompute.',
  'Wait, I should double-check the assumption about the units.', 'So the next step is to combine these two facts.', 'Let me consider an alternative approach to be sure.',
  'That gives a consistent result, which is reassuring.', 'I think the cleanest way to explain this is step by step.', 'Actually, the question asks for the total, not the difference.',
  'Let me verify with a small example.', 'Both conditions must hold at the same time.', 'OK, so the answer should be the value computed above.',
  'The user probably wants a clear explanation rather than just the number.', 'I should mention the edge case as well.',
  'Now I need to check whether the other options could also be correct.', 'Let me outline the plan before writing the code.',
];

export const GRADE_PHRASES = [
  'The response addresses the main question directly.', 'The reasoning contains a gap between the second and third steps.',
  'The final answer matches the expected result.', 'The explanation is clear but somewhat verbose.', 'A key constraint from the prompt is ignored.',
  'The structure follows the requested format.', 'The response makes an unsupported claim.', 'The tone is appropriate for the audience.',
  'Important edge cases are not discussed.', 'The answer is well organised and easy to follow.',
];

export const REFUSALS = [
  'I can\'t help with that, because it could cause real harm.', 'I\'m not able to help with that request.',
  'I won\'t provide instructions for that, but I can help in a safer way.', 'That\'s not something I can assist with.',
];

export const SAFE_ALTERNATIVES = [
  'If you are dealing with a difficult situation, talking to someone you trust or a professional can help.',
  'A safer way to approach this is to focus on the underlying goal and legal options to reach it.',
  'Here is general, publicly available information that may be useful instead.',
  'If this is for a story or research, I can describe the topic at a high level without operational details.',
];

/** What an agent says before a tool call: short for coding tools, longer when told to explain. */
export const AGENT_NARRATION = [
  'Let me look at the relevant files first.', 'I\'ll run the test suite to see the current state.', 'The failure points to the parser; let me open it.',
  'Now I\'ll make the change.', 'Let me check where this function is used.', 'Running the tests again to confirm the fix.',
  'I need to see the configuration before editing.', 'That test still fails; let me read the error carefully.', 'Let me search for other call sites.',
  'I\'ll update the implementation and add a test for the edge case.',
];

export const AGENT_SUMMARIES = ['ran the test suite', 'read the main module', 'edited one file', 'searched for call sites', 'fixed a failing assertion', 'added a unit test', 'inspected the configuration'];
