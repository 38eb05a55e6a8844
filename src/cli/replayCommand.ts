import { topologies } from '../../models/topologies/index.js';
import { InputError } from '../../models/inputError.js';
import { propertyNamed } from '../../properties/catalogue.js';
import type { TraceEvent } from '../kernel/events.js';
import { describeEvent, describeTrace } from '../trace/describe.js';
import { eventDifferences, shownValue } from '../trace/difference.js';
import { readTrace } from '../trace/file.js';
import { replayTrace, type ReplayResult } from '../trace/replay.js';
import { topologyFileChange } from '../trace/topologySource.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { EXIT } from './exitCodes.js';
import { parseCommand } from './options.js';
import { Printer } from './output.js';

export const replayUsage = 'connmodel replay TRACE.json [--topology NAME|FILE] [--quiet]';

const eventLine = (e: TraceEvent | undefined) => (e ? `t=${e.t}ms step ${e.step} ${describeEvent(e)}` : '(none: the run ended before it)');

/** The first differing event, both ways, and every field in which they differ (time, ids, detail). */
function differenceLines(d: NonNullable<ReplayResult['firstDifference']>, saved: number, replayed: number): string[] {
  const lines = [
    `  first difference at event ${d.index + 1} (of ${saved} saved, ${replayed} replayed):`,
    `    saved:    ${eventLine(d.saved)}`,
    `    replayed: ${eventLine(d.replayed)}`,
  ];
  if (d.saved && d.replayed) {
    const fields = eventDifferences(d.saved, d.replayed);
    const width = Math.max(...fields.map((f) => f.field.length)) + 1;
    lines.push('    fields that differ:', ...fields.map((f) => `      ${`${f.field}:`.padEnd(width)} saved ${shownValue(f.saved)}, replayed ${shownValue(f.replayed)}`));
  }
  return lines;
}

/**
 * `connmodel replay`: re-executes a saved trace on the topology it names and
 * compares every event. Exit 0 when identical, 1 when anything differs.
 */
export function replayCommand(argv: string[], out = new Printer()): number {
  const { values, positionals } = parseCommand({ quiet: { type: 'boolean' }, topology: { type: 'string' } }, argv, true);
  if (positionals.length !== 1) throw new InputError(`expected one trace file, found ${positionals.length}; usage: ${replayUsage}`);
  const path = positionals[0]!;
  const trace = readTrace(path);
  // --topology: replay the saved schedule on another topology (a what-if). Else a shipped topology is
  // replayed as it is today (so model changes show up); any other runs as saved.
  const current = values.topology !== undefined ? resolveTopology(values.topology) : (topologies[trace.topology.name] ?? trace.topology);
  const property = trace.property === null ? null : propertyNamed(trace.property);
  const fileChange = values.topology === undefined && trace.topologyFile ? topologyFileChange(trace.topologyFile, trace.topology) : null;
  const result = replayTrace(trace, current, property);
  const lines: string[] = [];
  if (!values.quiet) lines.push(...describeTrace(result.events), '');
  if (fileChange) lines.push(`warning: ${fileChange}`);
  if (result.topologyChanged)
    lines.push(
      values.topology !== undefined
        ? `note: replayed on topology '${current.name}' (--topology ${values.topology}), not on the '${trace.topology.name}' this trace was made with`
        : `note: topology '${trace.topology.name}' has changed since this trace was made; replayed against today's definition`,
    );
  if (result.identical) {
    const steps = result.events.at(-1)?.step ?? 0;
    lines.push(`replay ${path}: identical — ${result.events.length} events over ${steps} steps reproduced exactly`);
    if (trace.violation) lines.push(`violation reproduced: ${trace.violation.property}${trace.violation.facet ? ` at ${trace.violation.facet}` : ''}: ${trace.violation.message}`);
  } else {
    lines.push(`replay ${path}: DIFFERS`);
    if (result.firstDifference) lines.push(...differenceLines(result.firstDifference, trace.events.length, result.events.length));
    if (result.violationReproduced === false) lines.push(`  the saved violation did not happen again: ${trace.violation!.message}`);
  }
  out.text(`${lines.join('\n')}\n`);
  return result.identical ? EXIT.ok : EXIT.violated;
}
