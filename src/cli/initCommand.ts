import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { InputError } from '../../models/inputError.js';
import { topologies } from '../../models/topologies/index.js';
import { schemaPath } from '../topologyFile/jsonSchema.js';
import { defaultNameFor, parseTopologyText } from '../topologyFile/load.js';
import { starterYaml } from '../topologyFile/starter.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { preflightFile } from '../io/preflight.js';
import { parseCommand } from './options.js';
import { Printer } from './output.js';
import { scenarios } from '../../models/scenarios/shipped.js';
import { parseScenarioText } from '../topologyFile/scenarioFile.js';
import { scenarioStarterYaml } from '../topologyFile/scenarioStarter.js';

/** `init --scenario`: the commented starter scenario (steady, explained), checked to load before it is written. */
function writeScenarioStarter(file: string, out: Printer): number {
  const stem = defaultNameFor(file);
  const name = Object.hasOwn(scenarios, stem) ? `my-${stem}` : stem;
  const text = scenarioStarterYaml(name);
  parseScenarioText(text, file);
  writeTextAtomic(file, text);
  out.text(`wrote ${file}: a simulation scenario (the seed's daily load, no trigger), every field commented.\nEdit it, then:\n  connmodel simulate --scenario ${file}\n`);
  return 0;
}

export const initUsage = 'connmodel init [FILE.yaml] [--force]\n  connmodel init --scenario [FILE.yaml] [--force]';

/**
 * `connmodel init`: writes a commented starter topology file (the seed
 * pipeline, every parameter with its unit and source) that loads as is.
 * Never overwrites a file unless --force.
 */
export function initCommand(argv: string[], out = new Printer()): number {
  const { values, positionals } = parseCommand({ force: { type: 'boolean' }, scenario: { type: 'boolean' } }, argv, true);
  if (positionals.length > 1) throw new InputError(`expected at most one file, found ${positionals.length}; usage: ${initUsage}`);
  const file = positionals[0] ?? (values.scenario ? 'scenario.yaml' : 'topology.yaml');
  if (!/\.ya?ml$/i.test(file)) throw new InputError(`init writes YAML (it has comments): name the file .yaml or .yml, found '${file}'`);
  if (existsSync(file) && !values.force) throw new InputError(`'${file}' already exists and was left as it is; use --force to replace it`);
  preflightFile(file);
  if (values.scenario) return writeScenarioStarter(file, out);
  // A starter never takes a shipped name: it will be edited, and a shipped name must mean the shipped topology.
  const stem = defaultNameFor(file);
  const name = Object.hasOwn(topologies, stem) ? `my-${stem}` : stem;
  let schemaRef = relative(dirname(resolve(file)), schemaPath()).split(sep).join('/');
  if (!schemaRef.startsWith('.') && !schemaRef.startsWith('/')) schemaRef = `./${schemaRef}`;
  const text = starterYaml(name, schemaRef, file);
  parseTopologyText(text, { source: file }); // what we write must load as is
  writeTextAtomic(file, text);
  out.text(
    `wrote ${file}: the seed pipeline (client -> CloudFront -> API Gateway -> NLB -> connection queue -> NGINX -> Node.js -> MySQL), every parameter commented.\n` +
      `Edit it to match your pipeline, then:\n  connmodel check --topology ${file}\n`,
  );
  return 0;
}
