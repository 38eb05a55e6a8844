import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Row } from './metrics.js';

/**
 * Charts of a run's per-minute metrics, as Vega-Lite specifications compiled
 * and rendered to SVG headlessly (vega's View with no renderer in the page:
 * `toSVG()` works in Node). One page per run; one comparison page across runs.
 */

type Spec = vl.TopLevelSpec;

const WIDTH = 640;
const HEIGHT = 150;

/** Long-form data for a multi-line panel: one point per (minute, series). */
function series(rows: readonly Row[], columns: readonly (readonly [string, string])[], perSecond = false): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of rows) for (const [col, label] of columns) if (col in r) out.push({ minute: r.minute, value: perSecond ? r[col]! / 60 : r[col], series: label });
  return out;
}

function panel(title: string, yTitle: string, values: Record<string, unknown>[], extra: { logY?: boolean } = {}): Spec {
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: true, interpolate: 'monotone' },
    encoding: {
      x: { field: 'minute', type: 'quantitative', title: 'simulated minute' },
      y: { field: 'value', type: 'quantitative', title: yTitle, ...(extra.logY ? { scale: { type: 'symlog' } } : {}) },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'right', labelLimit: 260 } },
    },
  } as Spec;
}

/** The panels of one run's page, from its rows and column names. */
export function runChartSpec(title: string, rows: readonly Row[], columns: readonly string[]): Spec {
  const has = (c: string) => columns.includes(c);
  const edge = columns.find((c) => c.endsWith('.Requests'))!;
  const flows = columns.filter((c) => c.endsWith('.ActiveFlowCount'));
  const newFlows = columns.filter((c) => c.endsWith('.NewFlowCount'));
  const db = columns.filter((c) => c.endsWith('.DatabaseConnections'));
  const parked = columns.filter((c) => /\.\d+\.(active|parked)$/.test(c));
  const open = columns.filter((c) => c.startsWith('open.') && !c.endsWith('.max'));
  const panels: Spec[] = [
    panel('Requests per second (per-minute average)', 'requests/s', [
      ...series(rows, [[edge, edge], ['responses.2xx', '2xx'], ['responses.429', '429'], ['responses.502', '502'], ['responses.504', '504'], ['responses.lost', 'connection lost'], ['rejected.client', 'refused at the client'], ['retries', 'retries']], true),
    ]),
    panel('Load balancer flows (CloudWatch ActiveFlowCount: Average and Maximum per minute; NewFlowCount per second)', 'flows', [
      ...series(rows, flows.flatMap((f) => [[f, `${f} (avg)`], [`${f}.max`, `${f} (max)`]] as const)),
      ...series(rows, newFlows.map((f) => [f, `${f} (/s)`] as const), true),
    ]),
    panel('Connection queue per instance (average over the minute)', 'connections', series(rows, parked.map((c) => [c, c] as const))),
    panel('Database connections (RDS DatabaseConnections)', 'connections', series(rows, db.flatMap((c) => [[c, `${c} (avg)`], [`${c}.max`, `${c} (max)`]] as const))),
    panel('Latency (ms, arrival to outcome)', 'ms (symlog)', series(rows, [['latency.p50', 'p50'], ['latency.p99', 'p99']]), { logY: true }),
    panel('Connections open at each boundary (average)', 'connections (symlog)', series(rows, open.map((c) => [c, c.slice('open.'.length)] as const)), { logY: true }),
  ].filter((p) => ((p as { data: { values: unknown[] } }).data.values.length > 0 ? true : has('minute')));
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: { text: title, fontSize: 14 }, vconcat: panels, resolve: { scale: { color: 'independent' } } } as Spec;
}

/** Runs side by side: request rate answered 2xx, ActiveFlowCount, parked connections and p99 latency, one line per run. */
export function comparisonChartSpec(runs: readonly { name: string; rows: readonly Row[]; columns: readonly string[] }[]): Spec {
  const pick = (label: string, col: (columns: readonly string[]) => string | undefined, perSecond = false) =>
    runs.flatMap((r) => {
      const c = col(r.columns);
      return c ? r.rows.map((row) => ({ minute: row.minute, value: perSecond ? row[c]! / 60 : row[c], series: r.name, metric: label })) : [];
    });
  const sumParked = runs.flatMap((r) => r.rows.map((row) => ({ minute: row.minute, value: r.columns.filter((c) => c.endsWith('.parked')).reduce((s, c) => s + (row[c] ?? 0), 0), series: r.name })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Runs compared', fontSize: 14 },
    vconcat: [
      panel('2xx responses per second', 'requests/s', pick('2xx', () => 'responses.2xx', true)),
      panel('Load balancer ActiveFlowCount (average)', 'flows', pick('flows', (cs) => cs.find((c) => c.endsWith('.ActiveFlowCount')))),
      panel('Parked connections, all instances (average)', 'connections', sumParked),
      panel('p99 latency (ms)', 'ms (symlog)', pick('p99', () => 'latency.p99'), { logY: true }),
    ],
  } as Spec;
}

/** Compiles a Vega-Lite spec and renders it to SVG without a browser. */
export async function renderSvg(spec: Spec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
