import { setPriority } from 'node:os';

/**
 * Lowers the calling worker thread's scheduling priority (nice 10). On Linux a nice value
 * belongs to a thread, so only this worker yields: when parsing, scoring and linking keep
 * every core busy, the main thread, which answers decisions, still gets the CPU first.
 * Elsewhere it may apply to the whole process or be refused; a refusal changes nothing else.
 */
export function lowerThisThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted here (a sandbox, a container policy): the worker keeps the default priority.
  }
}
