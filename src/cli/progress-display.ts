import cliProgress from 'cli-progress';

export interface ProgressDisplay {
  /** `done` and `total` are in the display's unit (bytes, exchanges, ...). */
  update(done: number, fields?: Record<string, string | number>): void;
  setTotal(total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** How to print `done`/`total`: bytes become MB. */
  unit: 'bytes' | 'items';
  /** Shown after the bar, e.g. `{rate} exchanges/s`; fields come from `update`. */
  suffix?: string;
  stream?: NodeJS.WriteStream;
  /** Force the bar on or off; by default it is on only when the stream is a terminal. */
  enabled?: boolean;
}

/**
 * A progress bar with rate and ETA on a terminal, and nothing elsewhere (logs and pipes get the
 * final summary instead, so CI output stays readable).
 */
export function createProgressDisplay({ label, total, unit, suffix = '', stream = process.stderr, enabled }: ProgressOptions): ProgressDisplay {
  const on = enabled ?? stream.isTTY === true;
  if (!on) return { update() {}, setTotal() {}, stop() {} };
  const scale = unit === 'bytes' ? 1 / (1024 * 1024) : 1;
  const unitLabel = unit === 'bytes' ? ' MB' : '';
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total}${unitLabel} | ETA {eta_formatted}${suffix ? ' | ' + suffix : ''}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
      formatValue: (value: number, _options: unknown, type: string) => (type === 'value' || type === 'total' ? formatScaled(value) : String(value)),
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(1, total * scale), 0, {});
  return {
    update(done, fields = {}) {
      bar.update(done * scale, fields);
    },
    setTotal(newTotal) {
      bar.setTotal(Math.max(1, newTotal * scale));
    },
    stop() {
      bar.stop();
    },
  };
}

function formatScaled(value: number): string {
  return value >= 100 ? Math.round(value).toString() : value.toFixed(1);
}

export function formatRate(count: number, seconds: number): string {
  if (seconds <= 0) return '-';
  const rate = count / seconds;
  return rate >= 1000 ? `${Math.round(rate).toLocaleString('en-US')}` : rate.toFixed(1);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
