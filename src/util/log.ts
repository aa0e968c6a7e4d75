import { pino, destination as pinoDestination, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LoggerSettings {
  level?: string;
  /** Human-readable lines instead of JSON; the default when stderr is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

/**
 * Structured JSON logs on stderr, readable lines on a terminal. Call sites that build expensive
 * log payloads check `logger.isLevelEnabled(level)` first.
 */
export function createLogger({ level = 'info', pretty = process.stderr.isTTY === true, destination }: LoggerSettings = {}): Logger {
  const options: LoggerOptions = { level, base: { app: 'distillguard' } };
  if (pretty && destination === undefined) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' } },
    });
  }
  return pino(options, (destination ?? pinoDestination(2)) as DestinationStream);
}

export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
