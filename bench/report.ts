/** One benchmark figure: a rate or a ratio, never a pass/fail limit. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export function formatRows(rows: readonly BenchRow[]): string {
  const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
  const w = Math.max(...rows.map((r) => r.name.length));
  const vw = Math.max(...rows.map((r) => fmt(r.value).length));
  return rows.map((r) => `${r.name.padEnd(w)}  ${fmt(r.value).padStart(vw)} ${r.unit}${r.note ? `  (${r.note})` : ''}`).join('\n');
}
