import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The gap between the events of a streamed answer. */
export const CHUNK_GAP_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An upstream that speaks both APIs: JSON answers, SSE streams with a gap between events, errors and hangs on request. */
export async function startUpstream(): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const behaviour = req.headers['x-stub'];
    if (behaviour === 'hang') return;
    if (behaviour === 'error') {
      res.writeHead(529, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
      return;
    }
    if (req.url === '/v1/messages' && body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events: [string, Record<string, unknown>][] = [
        ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ', world' } }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } }],
        ['message_stop', { type: 'message_stop' }],
      ];
      for (const [name, data] of events) {
        res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        await sleep(CHUNK_GAP_MS);
      }
      res.end();
      return;
    }
    if (req.url === '/v1/chat/completions' && body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const piece of ['The', ' answer', ' is 42.']) {
        res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-test', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
        await sleep(CHUNK_GAP_MS);
      }
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-test', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 5 } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/v1/messages') {
      res.end(JSON.stringify({ id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-test', content: [{ type: 'text', text: 'Hi there' }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 3 } }));
    } else {
      res.end(JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion', model: 'gpt-test', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 3 } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

