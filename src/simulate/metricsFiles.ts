import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Row } from './metrics.js';

/**
 * Per-minute metrics streamed to disk as the run goes: `metrics.csv` (one
 * row per simulated minute) and `metrics.json` (the run's description, then
 * the same rows). Nothing is kept in memory; files are written under a
 * temporary name and renamed when complete, so an interrupted run still
 * leaves whole, valid files with the minutes done so far.
 */
export class MetricsFiles {
  private readonly csv: number;
  private readonly json: number;
  private rows = 0;

  constructor(
    readonly csvPath: string,
    readonly jsonPath: string,
    private readonly columns: readonly string[],
    run: Record<string, unknown>,
  ) {
    mkdirSync(dirname(csvPath), { recursive: true });
    this.csv = openSync(`${csvPath}.tmp-${process.pid}`, 'w');
    this.json = openSync(`${jsonPath}.tmp-${process.pid}`, 'w');
    writeSync(this.csv, `${columns.map(csvField).join(',')}\n`);
    writeSync(this.json, `{"run":${JSON.stringify(run)},\n"minutes":[`);
  }

  write(row: Row, partial: boolean) {
    writeSync(this.csv, `${this.columns.map((c) => String(row[c] ?? 0)).join(',')}\n`);
    const ordered: Record<string, number | boolean> = {};
    for (const c of this.columns) ordered[c] = row[c] ?? 0;
    if (partial) ordered.partial = true;
    writeSync(this.json, `${this.rows === 0 ? '\n' : ',\n'}${JSON.stringify(ordered)}`);
    this.rows++;
  }

  close(summary: Record<string, unknown>) {
    writeSync(this.json, `\n],\n"summary":${JSON.stringify(summary)}}\n`);
    closeSync(this.csv);
    closeSync(this.json);
    renameSync(`${this.csvPath}.tmp-${process.pid}`, this.csvPath);
    renameSync(`${this.jsonPath}.tmp-${process.pid}`, this.jsonPath);
  }
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
