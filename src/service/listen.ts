import type { FastifyInstance } from 'fastify';
import { DistillguardError, errorMessage } from '../util/errors.js';

/**
 * Starts listening and returns the URL clients reach; if the address cannot be had, closes the
 * app and what `release` names (the core, the store) and says why, naming the address.
 */
export async function listenOrRelease(app: FastifyInstance, { host, port }: { host: string; port: number }, release: () => Promise<void>): Promise<string> {
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    await release();
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EADDRNOTAVAIL' ? 'no such local address' : errorMessage(error);
    throw new DistillguardError(`cannot listen on ${host}:${port}: ${why}`, { exitCode: 1, cause: error });
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
}

/**
 * Stops accepting connections and waits for the requests in flight, closing each keep-alive
 * connection as soon as it turns idle (rather than waiting out its timeout) and every connection
 * once `timeoutMs` has passed.
 */
export async function closeAcceptedRequests(app: FastifyInstance, timeoutMs: number): Promise<void> {
  const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => app.server.closeAllConnections(), timeoutMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
  }
}
