import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import { html } from './lib.js';

export interface Series {
  readonly label: string;
  readonly stroke: string;
  /** Filled below its line, for counts. */
  readonly fill?: string;
}

/**
 * A uPlot chart of `data` ([x seconds, ...one array per series]), made once and given new data as it comes.
 * `label` names it for a screen reader, which cannot read the canvas: the same figures are in a table beside it.
 */
export function Chart({ data, series, label, height = 180, stepped = false }: { data: uPlot.AlignedData; series: readonly Series[]; label: string; height?: number; stepped?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const element = box.current!;
    const made = new uPlot(
      {
        width: Math.max(300, element.clientWidth),
        height,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: false }, ...(s.fill ? { fill: s.fill } : {}), ...(stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}) }))],
        axes: [{}, { size: 70 }],
        legend: { live: true },
      },
      data,
      element,
    );
    plot.current = made;
    const resized = () => made.setSize({ width: Math.max(300, element.clientWidth), height });
    addEventListener('resize', resized);
    return () => {
      removeEventListener('resize', resized);
      made.destroy();
    };
  }, [series.length, height]);
  useEffect(() => plot.current?.setData(data), [data]);
  return html`<div class="chart" ref=${box} role="img" aria-label=${label}></div>`;
}
