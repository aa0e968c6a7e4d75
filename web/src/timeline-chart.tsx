import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { TimelineRow } from './api.js';

const COLOURS = ['#1f6feb', '#d9480f', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e03131', '#495057', '#5c940d'];

/** Exchanges per UTC day, one line per capability or model. */
export function TimelineChart({ rows, title }: { rows: TimelineRow[]; title: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (element === null || rows.length === 0) return;
    const days = [...new Set(rows.map((row) => row.day))].sort();
    const keys = [...new Set(rows.map((row) => row.key))].sort();
    const lookup = new Map(rows.map((row) => [`${row.day}|${row.key}`, row.exchanges]));
    const data: uPlot.AlignedData = [days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000), ...keys.map((key) => days.map((day) => lookup.get(`${day}|${key}`) ?? 0))];
    const plot = new uPlot(
      {
        title,
        width: Math.max(280, element.clientWidth),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        axes: [{ label: 'day (UTC)' }, { label: 'exchanges' }],
        series: [{ label: 'day (UTC)' }, ...keys.map((key, index) => ({ label: key, stroke: COLOURS[index % COLOURS.length], width: 2 }))],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [rows, title]);
  if (rows.length === 0) return <p>No traffic in the store for this timeline.</p>;
  return <div className="chart" ref={container} role="img" aria-label={title} />;
}
