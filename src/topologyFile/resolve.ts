import { existsSync } from 'node:fs';
import { InputError } from '../../models/inputError.js';
import { topologies } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { isTopologyPath, loadTopologyFile } from './load.js';
import { didYouMean } from './problems.js';

/**
 * What `--topology` means, for every command that takes one: a shipped
 * topology by name (`seed`, `mistaken`, …), or a topology file by path (ending
 * .yaml, .yml or .json, or containing a /). Anything else is one clear
 * InputError naming what is allowed.
 */
export function resolveTopology(arg: string): Topology {
  if (Object.hasOwn(topologies, arg)) return topologies[arg]!;
  if (isTopologyPath(arg)) {
    if (!/\.(ya?ml|json)$/i.test(arg)) throw new InputError(`topology file '${arg}' must end with .yaml, .yml or .json`);
    return loadTopologyFile(arg);
  }
  const names = Object.keys(topologies);
  const file = ['.yaml', '.yml', '.json'].map((ext) => arg + ext).find((f) => existsSync(f));
  throw new InputError(
    `unknown topology '${arg}'; expected a shipped topology (${names.join(', ')}) or a topology file ending .yaml, .yml or .json${
      file ? `; did you mean the file '${file}'?` : didYouMean(arg, names)
    }`,
  );
}
