import { parseArgs } from 'node:util';
import { topologies } from '../../models/topologies/index.js';
import { InputError } from '../../models/inputError.js';
import { propertyNamed } from '../../properties/catalogue.js';
import { describeEvent, describeTrace } from '../trace/describe.js';
import { readTrace } from '../trace/file.js';
import { replayTrace } from '../trace/replay.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { parseCommand } from './options.js';

export const replayUsage = 'connmodel replay TRACE.json [--topology NAME|FILE] [--quiet]';

/**
 * `connmodel replay`: re-executes a saved trace on the topology it names and
 * compares every event. Exit 0 when identical, 1 when anything differs.
 */
export function replayCommand(argv: string[]): number {
  const options = { quiet: { type: 'boolean' }, topology: { type: 'string' } } as const;
  const { values, positionals } = parseCommand('replay', options, () =>
    parseArgs({ args: argv, options, allowPositionals: true, strict: true }),
  );
  if (positionals.length !== 1) throw new InputError(`connmodel replay: expected one trace file, found ${positionals.length}; usage: ${replayUsage}`);
  const path = positionals[0]!;
  const trace = readTrace(path);
  // --topology: replay the saved schedule on another topology (a what-if). Else a shipped topology is
  // replayed as it is today (so model changes show up); any other runs as saved.
  const current = values.topology !== undefined ? resolveTopology(values.topology) : (topologies[trace.topology.name] ?? trace.topology);
  const result = replayTrace(trace, current, trace.property ? propertyNamed(trace.property) : null);
  const out: string[] = [];
  if (!values.quiet) out.push(...describeTrace(result.events), '');
  if (result.topologyChanged)
    out.push(
      values.topology !== undefined
        ? `note: replayed on topology '${current.name}' (--topology ${values.topology}), not on the '${trace.topology.name}' this trace was made with`
        : `note: topology '${trace.topology.name}' has changed since this trace was made; replayed against today's definition`,
    );
  if (result.identical) {
    out.push(`replay ${path}: identical — ${result.events.length} events over ${trace.stopAtStep} steps reproduced exactly`);
    if (trace.violation) out.push(`violation reproduced: ${trace.violation.property}${trace.violation.facet ? ` at ${trace.violation.facet}` : ''}: ${trace.violation.message}`);
  } else {
    out.push(`replay ${path}: DIFFERS`);
    const d = result.firstDifference;
    if (d) {
      out.push(`  first difference at event ${d.index}:`);
      out.push(`    saved:    ${d.saved ? `step ${d.saved.step} ${describeEvent(d.saved)}` : '(none)'}`);
      out.push(`    replayed: ${d.replayed ? `step ${d.replayed.step} ${describeEvent(d.replayed)}` : '(none)'}`);
    }
    if (result.violationReproduced === false) out.push(`  the saved violation did not happen again: ${trace.violation!.message}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return result.identical ? 0 : 1;
}
