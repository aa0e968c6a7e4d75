import type { ClientStackName } from './scenario-schema.js';
import type { Rng } from './seeded-rng.js';

/**
 * Client software as a gateway sees it: the User-Agent an SDK or tool sends and the JA4 TLS
 * fingerprints its HTTP stack produces (one per TLS library build, so the same SDK on two
 * operating systems can differ). Attack tooling is built from the same stacks as everyone
 * else's, so no string here belongs to attackers alone; what differs is how many accounts share
 * one exact version and fingerprint.
 */
export interface ClientStack {
  name: ClientStackName;
  userAgents: readonly string[];
  tlsFingerprints: readonly string[];
}

const PYTHON_TLS = ['t13d1812h1_85036bcba153_b26ce05bbdd6', 't13d1813h1_85036bcba153_7f8c5f6f1d2a', 't13d1715h1_5b57614c22b0_7121afd63204'];
const PYTHON_H2_TLS = ['t13d1812h2_85036bcba153_375ca2c5e164', 't13d1813h2_85036bcba153_7f8c5f6f1d2a'];
const NODE_TLS = ['t13d1712h1_5b57614c22b0_1d9a054fd56f', 't13d1713h1_5b57614c22b0_ef7df7f74e48'];
const GO_TLS = ['t13d1311h2_f57a46bbacb6_e7c285222651', 't13d1310h2_f57a46bbacb6_ab7e3b40a677'];
const CURL_TLS = ['t13d3112h2_e8f1e7e78f70_6bebaf5329ac', 't13d3113h2_e8f1e7e78f70_b26ce05bbdd6'];
const OKHTTP_TLS = ['t13d1614h2_46e7e9700bed_45f260be83e2'];
const BROWSER_TLS = ['t13d1516h2_8daaf6152771_02713d6af862', 't13d1516h2_8daaf6152771_e5627efa2ab1', 't13d1715h2_5b57614c22b0_3d5424432f57', 't13d2014h2_a09f3c656075_14788d8d241b'];

const ANTHROPIC_PY = ['0.39.0', '0.40.0', '0.42.0', '0.45.2', '0.49.0', '0.52.0', '0.54.0', '0.57.1', '0.60.0', '0.64.0', '0.67.0', '0.69.0', '0.71.0', '0.72.0'];
const ANTHROPIC_TS = ['0.32.1', '0.36.3', '0.39.0', '0.45.0', '0.52.0', '0.56.0', '0.60.0', '0.63.0', '0.65.0'];
const OPENAI_PY = ['1.54.3', '1.55.3', '1.57.0', '1.59.7', '1.61.1', '1.66.3', '1.68.2', '1.75.0', '1.82.1', '1.93.0', '1.97.1', '1.99.9', '1.107.0', '2.3.0', '2.8.1'];
const OPENAI_NODE = ['4.71.1', '4.77.0', '4.85.4', '4.96.0', '4.104.0', '5.10.2', '5.19.1', '6.2.0', '6.9.1'];

const STACKS: Record<ClientStackName, ClientStack> = {
  'anthropic-python': {
    name: 'anthropic-python',
    userAgents: [...ANTHROPIC_PY.map((v) => `Anthropic/Python ${v}`), ...ANTHROPIC_PY.slice(4).map((v) => `AsyncAnthropic/Python ${v}`)],
    tlsFingerprints: PYTHON_H2_TLS.concat(PYTHON_TLS.slice(0, 1)),
  },
  'anthropic-typescript': { name: 'anthropic-typescript', userAgents: ANTHROPIC_TS.map((v) => `Anthropic/JS ${v}`), tlsFingerprints: NODE_TLS },
  'openai-python': {
    name: 'openai-python',
    userAgents: [...OPENAI_PY.map((v) => `OpenAI/Python ${v}`), ...OPENAI_PY.slice(5).map((v) => `AsyncOpenAI/Python ${v}`)],
    tlsFingerprints: PYTHON_TLS.concat(PYTHON_H2_TLS.slice(0, 1)),
  },
  'openai-node': { name: 'openai-node', userAgents: OPENAI_NODE.map((v) => `OpenAI/JS ${v}`), tlsFingerprints: NODE_TLS },
  'python-httpx': { name: 'python-httpx', userAgents: ['python-httpx/0.27.0', 'python-httpx/0.27.2', 'python-httpx/0.28.1'], tlsFingerprints: PYTHON_TLS },
  'python-requests': { name: 'python-requests', userAgents: ['python-requests/2.31.0', 'python-requests/2.32.3', 'python-requests/2.32.4'], tlsFingerprints: PYTHON_TLS },
  'python-aiohttp': { name: 'python-aiohttp', userAgents: ['Python/3.11 aiohttp/3.10.10', 'Python/3.12 aiohttp/3.11.11', 'Python/3.12 aiohttp/3.12.13'], tlsFingerprints: PYTHON_TLS },
  curl: { name: 'curl', userAgents: ['curl/7.81.0', 'curl/8.5.0', 'curl/8.7.1', 'curl/8.11.1'], tlsFingerprints: CURL_TLS },
  'go-http': { name: 'go-http', userAgents: ['Go-http-client/2.0', 'Go-http-client/1.1'], tlsFingerprints: GO_TLS },
  'node-fetch': { name: 'node-fetch', userAgents: ['node', 'axios/1.7.9', 'axios/1.8.4'], tlsFingerprints: NODE_TLS },
  okhttp: { name: 'okhttp', userAgents: ['okhttp/4.11.0', 'okhttp/4.12.0'], tlsFingerprints: OKHTTP_TLS },
  browser: {
    name: 'browser',
    userAgents: [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36 Edg/132.0.0.0',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1',
    ],
    tlsFingerprints: BROWSER_TLS,
  },
};

export function clientStack(name: ClientStackName): ClientStack {
  return STACKS[name];
}

/** Which SDK stacks speak which API natively; others send raw HTTP and can speak any. */
export function stackSupportsApi(name: ClientStackName, api: string): boolean {
  if (name === 'anthropic-python' || name === 'anthropic-typescript') return api === 'anthropic.messages';
  if (name === 'openai-python' || name === 'openai-node') return api !== 'anthropic.messages';
  return true;
}

export interface ClientIdentity {
  userAgent: string;
  tlsFingerprint: string;
}

/**
 * One installation: a UA version and a TLS build. Newer versions are likelier, as they are in
 * real traffic a few months after release.
 */
export function pickClientIdentity(name: ClientStackName, rng: Rng): ClientIdentity {
  const stack = STACKS[name];
  const n = stack.userAgents.length;
  const skewed = Math.min(n - 1, Math.floor(Math.sqrt(rng.float()) * n));
  return { userAgent: stack.userAgents[skewed]!, tlsFingerprint: rng.pick(stack.tlsFingerprints) };
}

/** The SDK stack an account of an API most likely uses when nothing else decides it. */
export function sdkStackFor(api: string, rng: Rng): ClientStackName {
  const u = rng.float();
  if (api === 'anthropic.messages') return u < 0.6 ? 'anthropic-python' : u < 0.85 ? 'anthropic-typescript' : u < 0.93 ? 'python-httpx' : 'curl';
  return u < 0.55 ? 'openai-python' : u < 0.85 ? 'openai-node' : u < 0.93 ? 'python-requests' : 'go-http';
}
