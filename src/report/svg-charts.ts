import type { FindingsCalibration, TimelinePoint } from '../model/findings.js';
import { formatCompact, formatCount, formatShare, formatTimestamp, topEntries, truncate } from './report-format.js';
import { html, type SafeHtml } from './safe-html.js';

/*
 * Charts are hand-made inline SVG rather than a charting library inlined into the file. The
 * report needs two simple shapes (a horizontal bar chart and a histogram-style timeline) drawn
 * up to a thousand times; a library would add 50–250 KB of code to every report, need a canvas
 * or DOM pass at load (slow for 1,000 clusters, blank without JavaScript) and bring its own
 * escaping rules. SVG strings render instantly, print, work with scripts off and go through the
 * same escaping as the rest of the markup.
 */

const CAPABILITY_ROWS = 8;

/** Share of traffic per capability as horizontal bars, largest first; the rest summed as "other". */
export function capabilityChart(capabilities: Record<string, number>): SafeHtml {
  const all = topEntries(capabilities, Number.MAX_SAFE_INTEGER);
  if (all.length === 0) return html`<p class="muted">No capability data.</p>`;
  const total = all.reduce((sum, [, value]) => sum + value, 0);
  const shown = all.slice(0, CAPABILITY_ROWS).map(([label, value]) => [label, value / total] as [string, number]);
  const rest = all.slice(CAPABILITY_ROWS).reduce((sum, [, value]) => sum + value, 0) / total;
  if (rest > 0) shown.push([`other (${all.length - CAPABILITY_ROWS})`, rest]);
  const rowHeight = 24;
  const labelWidth = 150;
  const barMax = 270;
  const width = 480;
  const height = shown.length * rowHeight + 4;
  const largest = Math.max(...shown.map(([, share]) => share));
  const rows = shown.map(([label, share], index) => {
    const y = index * rowHeight + 4;
    const barWidth = Math.max(1.5, (share / largest) * barMax);
    return html`<g><title>${label}: ${formatShare(share)} of exchanges</title><text class="chart-label" x="0" y="${y + 13}">${truncate(label, 22)}</text><rect class="chart-bar" x="${labelWidth}" y="${y}" width="${barWidth.toFixed(1)}" height="16" rx="2"></rect><text class="chart-value" x="${(labelWidth + barWidth + 6).toFixed(1)}" y="${y + 13}">${formatShare(share)}</text></g>`;
  });
  const summary = shown.map(([label, share]) => `${label} ${formatShare(share)}`).join(', ');
  return html`<svg class="chart capability-chart" data-chart="capabilities" data-bars="${shown.length}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Capability mix: ${summary}">${rows}</svg>`;
}

/** Longest timeline drawn point by point; longer ones are summed into wider buckets. */
const TIMELINE_MAX_BUCKETS = 168;

interface Bucket {
  startMs: number;
  exchanges: number;
}

/**
 * Exchanges over time as a stepped area (one path, so a thousand clusters stay cheap), with the
 * y axis from 0 to a round maximum, dated ticks, and the values in data attributes for the
 * page script's hover read-out. Buckets are assumed evenly spaced, as `analyze` writes them.
 */
export function timelineChart(points: readonly TimelinePoint[]): SafeHtml {
  const buckets = downsample(points.map((point) => ({ startMs: Date.parse(point.start), exchanges: point.exchanges })).filter((bucket) => Number.isFinite(bucket.startMs)));
  if (buckets.length === 0) return html`<p class="muted">No timeline data.</p>`;
  const step = buckets.length > 1 ? (buckets[buckets.length - 1]!.startMs - buckets[0]!.startMs) / (buckets.length - 1) : 3_600_000;
  const width = 560;
  const height = 170;
  const left = 46;
  const right = 8;
  const top = 10;
  const bottom = 24;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const peak = buckets.reduce((best, bucket) => (bucket.exchanges > best.exchanges ? bucket : best), buckets[0]!);
  const yMax = niceCeiling(Math.max(1, peak.exchanges));
  const columnWidth = plotWidth / buckets.length;
  const y = (value: number) => top + plotHeight - (value / yMax) * plotHeight;
  const base = (top + plotHeight).toFixed(1);
  // Drawn in data units (one unit per bucket across, one per exchange up) and scaled by the
  // transform: "V812h1" per bucket keeps a thousand timelines small.
  let path = 'M0 0';
  for (const bucket of buckets) path += `V${bucket.exchanges}h1`;
  path += 'V0Z';
  const transform = `translate(${left} ${base}) scale(${columnWidth.toFixed(4)} ${(-plotHeight / yMax).toPrecision(6)})`;

  const grid = [0, 0.5, 1].map((fraction) => {
    const gy = y(yMax * fraction).toFixed(1);
    return html`<line class="chart-gridline" x1="${left}" x2="${width - right}" y1="${gy}" y2="${gy}"></line><text class="chart-axis" x="${left - 6}" y="${(Number(gy) + 4).toFixed(1)}" text-anchor="end">${formatCompact(yMax * fraction)}</text>`;
  });
  const t0 = buckets[0]!.startMs;
  const t1 = buckets[buckets.length - 1]!.startMs + step;
  const ticks = timeTicks(t0, t1).map((tick) => {
    const x = left + ((tick.ms - t0) / (t1 - t0)) * plotWidth;
    return html`<line class="chart-tick" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${base}" y2="${(top + plotHeight + 4).toFixed(1)}"></line><text class="chart-axis" x="${x.toFixed(1)}" y="${height - 6}" text-anchor="middle">${tick.label}</text>`;
  });
  const total = buckets.reduce((sum, bucket) => sum + bucket.exchanges, 0);
  const label = `Exchanges per ${describeStep(step)}: ${formatCount(total)} in all, peak ${formatCount(peak.exchanges)} at ${formatTimestamp(new Date(peak.startMs).toISOString())}`;
  return html`<svg class="chart timeline-chart" data-chart="timeline" data-points="${buckets.length}" data-t0="${buckets[0]!.startMs}" data-step="${Math.round(step)}" data-values="${buckets.map((bucket) => bucket.exchanges).join(',')}" data-left="${left}" data-plot-width="${plotWidth}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}">${grid}<path class="chart-area" transform="${transform}" vector-effect="non-scaling-stroke" d="${path}"></path>${ticks}<line class="chart-cursor" x1="0" x2="0" y1="${top}" y2="${base}" visibility="hidden"></line></svg><p class="chart-caption">${label}.</p>`;
}

function downsample(buckets: Bucket[]): Bucket[] {
  if (buckets.length <= TIMELINE_MAX_BUCKETS) return buckets;
  const factor = Math.ceil(buckets.length / TIMELINE_MAX_BUCKETS);
  const merged: Bucket[] = [];
  for (let i = 0; i < buckets.length; i += factor) {
    const group = buckets.slice(i, i + factor);
    merged.push({ startMs: group[0]!.startMs, exchanges: group.reduce((sum, bucket) => sum + bucket.exchanges, 0) });
  }
  return merged;
}

/**
 * 1, 2, 4, 6 or 8 × 10ⁿ at or above the value, at least 2: the axis top and its half (the middle
 * grid line) are then both round whole numbers.
 */
export function niceCeiling(value: number): number {
  if (value <= 2) return 2;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 4, 6, 8, 10]) if (factor * magnitude >= value) return factor * magnitude;
  return 10 * magnitude;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/**
 * Axis ticks on round UTC times inside [from, to): midnights every few days for windows of two
 * days or more, otherwise every few hours; at most about seven, so labels never overlap.
 */
export function timeTicks(from: number, to: number): { ms: number; label: string }[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const dayLabel = (ms: number) => `${MONTHS[new Date(ms).getUTCMonth()]} ${new Date(ms).getUTCDate()}`;
  const ticks: { ms: number; label: string }[] = [];
  if (span >= 2 * DAY_MS) {
    const everyDays = Math.max(1, Math.ceil(span / DAY_MS / 7));
    for (let ms = Math.ceil(from / DAY_MS) * DAY_MS; ms < to; ms += everyDays * DAY_MS) ticks.push({ ms, label: dayLabel(ms) });
  } else {
    const everyHours = [1, 2, 3, 6, 12, 24].find((hours) => span / (hours * 3_600_000) <= 7) ?? 24;
    const stepMs = everyHours * 3_600_000;
    for (let ms = Math.ceil(from / stepMs) * stepMs; ms < to; ms += stepMs) {
      const hour = String(new Date(ms).getUTCHours()).padStart(2, '0');
      ticks.push({ ms, label: ms % DAY_MS === 0 || ticks.length === 0 ? `${dayLabel(ms)} ${hour}:00` : `${hour}:00` });
    }
  }
  // A label centred on the very edge would be cut off by the chart's border.
  return ticks.filter((tick) => tick.ms - from >= span * 0.03 && to - tick.ms >= span * 0.03);
}

function describeStep(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? 'hour' : `${hours} hours`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'day' : `${days} days`;
}

/**
 * Accounts per score bin on a log scale (most accounts sit near 0 and a campaign far above), with
 * the threshold in force marked: where an operator sees what a threshold would do on this store.
 */
export function scoreDistributionChart(distribution: FindingsCalibration['accounts'], noun = 'accounts'): SafeHtml {
  const bins = distribution.bins;
  if (bins.length === 0 || distribution.total === 0) return html`<p class="muted">No scores.</p>`;
  const width = 560;
  const height = 170;
  const left = 46;
  const right = 8;
  const top = 10;
  const bottom = 26;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const largest = Math.max(...bins);
  const logMax = Math.log10(largest + 1);
  const barWidth = plotWidth / bins.length;
  const bars = bins.map((count, i) => {
    const h = count === 0 ? 0 : Math.max(1.5, (Math.log10(count + 1) / logMax) * plotHeight);
    const from = i / bins.length;
    const to = (i + 1) / bins.length;
    return html`<g><title>${formatCount(count)} ${noun} scored ${from.toFixed(2)}–${to.toFixed(2)}</title><rect class="chart-bar${from >= distribution.threshold ? ' chart-bar-flagged' : ''}" x="${(left + i * barWidth + 1).toFixed(1)}" y="${(top + plotHeight - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}"></rect></g>`;
  });
  const x = left + distribution.threshold * plotWidth;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((value) => html`<text class="chart-tick" x="${(left + value * plotWidth).toFixed(1)}" y="${height - 8}" text-anchor="middle">${value.toFixed(2)}</text>`);
  return html`<svg class="chart score-chart" data-chart="scores" data-threshold="${distribution.threshold}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Scores of ${formatCount(distribution.total)} ${noun}; ${formatCount(distribution.flagged)} at or above the threshold ${distribution.threshold.toFixed(2)}">${bars}<line class="chart-threshold" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${top + plotHeight}"></line><text class="chart-value" x="${(x + 4).toFixed(1)}" y="${top + 10}">threshold ${distribution.threshold.toFixed(2)}</text><text class="chart-tick" x="${left - 6}" y="${top + 8}" text-anchor="end">${formatCompact(largest)}</text><text class="chart-tick" x="${left - 6}" y="${top + plotHeight}" text-anchor="end">0</text>${ticks}</svg>`;
}
