import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../../models/inputError.js';
import { topologies } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { isTopologyPath, parseTopologyText } from './load.js';
import { formatOf, readTopologySource } from './read.js';
import { didYouMean } from './problems.js';

/**
 * What `--topology` means, for every command that takes one: a shipped
 * topology by name (`seed`, `mistaken`, …), or a topology file by path (ending
 * .yaml, .yml or .json, or containing a /). Anything else is one clear
 * InputError naming what is allowed.
 */
export function resolveTopology(arg: string): Topology {
  return resolveTopologySource(arg).topology;
}

/** A topology file a topology was loaded from: the path as given and the SHA-256 of the bytes read. */
export interface TopologyFileRef {
  path: string;
  sha256: string;
}

/** `resolveTopology`, also saying which file it came from (null for a shipped topology). */
export function resolveTopologySource(arg: string): { topology: Topology; file: TopologyFileRef | null } {
  if (Object.hasOwn(topologies, arg)) return { topology: topologies[arg]!, file: null };
  if (isTopologyPath(arg)) {
    if (!/\.(ya?ml|json)$/i.test(arg)) throw new InputError(`topology file '${arg}' must end with .yaml, .yml or .json`);
    const source = readTopologySource(arg);
    const topology = parseTopologyText(source.text, { source: arg, format: formatOf(arg), baseDir: dirname(arg) });
    return { topology, file: { path: arg, sha256: source.sha256 } };
  }
  const names = Object.keys(topologies);
  const file = ['.yaml', '.yml', '.json'].map((ext) => arg + ext).find((f) => existsSync(f));
  throw new InputError(
    `unknown topology '${arg}'; expected a shipped topology (${names.join(', ')}) or a topology file ending .yaml, .yml or .json${
      file ? `; did you mean the file '${file}'?` : didYouMean(arg, names)
    }`,
  );
}
