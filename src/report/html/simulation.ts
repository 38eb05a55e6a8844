/**
 * The hook for simulation charts. Simulation (src/simulate) is being built
 * separately; when a simulation ran, its caller passes its charts in
 * `HtmlReportInput.simulation` and the report draws each as a Mermaid
 * `xychart-beta` line chart, one line per series, with the same rendering
 * library as every other diagram in the report. Without it the section is
 * left out.
 */
export interface SimulationChart {
  title: string;
  x: { label: string; values: readonly (string | number)[] };
  y: { label: string };
  /** One line per series, a value for each x value. */
  series: readonly { name: string; values: readonly number[] }[];
}

export interface SimulationSection {
  /** One paragraph: what was simulated (load, duration, topology). */
  about: string;
  charts: readonly SimulationChart[];
}

const quoted = (s: string) => `"${s.replace(/"/g, "'")}"`;

/** A chart as Mermaid `xychart-beta` text (Mermaid has no legend for it: series are listed beside the chart). */
export function chartToMermaid(c: SimulationChart): string {
  const numbers = (v: readonly number[]) => `[${v.map((n) => (Number.isFinite(n) ? n : 0)).join(', ')}]`;
  const max = Math.max(0, ...c.series.flatMap((s) => s.values.filter(Number.isFinite)));
  return [
    'xychart-beta',
    `  title ${quoted(c.title)}`,
    `  x-axis ${quoted(c.x.label)} [${c.x.values.map((v) => (typeof v === 'number' ? String(v) : quoted(v))).join(', ')}]`,
    `  y-axis ${quoted(c.y.label)} 0 --> ${max > 0 ? max : 1}`,
    ...c.series.map((s) => `  line ${numbers(s.values)}`),
    '',
  ].join('\n');
}
