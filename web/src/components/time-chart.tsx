import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { language, t } from '../i18n/index.js';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

/**
 * A time-series line chart (uPlot, canvas). The canvas is an image to assistive technology,
 * so the chart carries a label and the figures are also in the tiles and tables beside it.
 */
export function TimeChart(props: { title: string; times: number[]; series: ChartSeries[]; id: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const width = Math.max(320, element.clientWidth || 600);
    const chart = new uPlot(
      {
        width,
        height: 220,
        series: [{ label: t('chart.time') }, ...props.series.map((series) => ({ label: series.label, stroke: series.color, width: 2, spanGaps: true }))],
        axes: [{}, { size: 60 }],
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        fmtDate: () => (date: Date) => date.toLocaleString(language.value, { hour12: false, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
      },
      [props.times, ...props.series.map((series) => series.values)] as uPlot.AlignedData,
      element,
    );
    return () => chart.destroy();
  }, [props.times, props.series, language.value]);
  return <div class="chart" ref={host} role="img" aria-label={props.title} data-chart={props.id} />;
}
