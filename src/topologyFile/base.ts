import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { InputError } from '../../models/inputError.js';
import { topologies } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { ProblemList } from './problemList.js';
import { didYouMean, TopologyFileError } from './problems.js';
import { isTopologyPath } from './read.js';

/** How far `extends` may chain (a file extending a file extending …). */
export const MAX_EXTENDS_DEPTH = 8;

/** The file whose `extends` is resolved: the fields of LoadOptions that resolving needs. */
export interface Extending {
  source: string;
  baseDir?: string;
  chain?: readonly string[];
}

/** Loads a base file; passed in (it is loadTopologyFile) so that this file does not import the loader that imports it. */
export type LoadBase = (path: string, options: { chain: readonly string[] }) => Topology;

/** The topology named by `extends`: a shipped one, or another file (relative to this one). */
export function resolveBase(ext: string, from: Extending, problems: ProblemList, load: LoadBase): Topology | null {
  if (Object.hasOwn(topologies, ext)) return topologies[ext]!;
  const shipped = Object.keys(topologies);
  if (!isTopologyPath(ext)) {
    problems.problem(
      ['extends'],
      `unknown topology '${ext}'; expected a shipped topology (${shipped.join(', ')}) or a file ending .yaml, .yml or .json${didYouMean(ext, shipped)}`,
    );
    return null;
  }
  if (!/\.(ya?ml|json)$/i.test(ext)) {
    problems.problem(['extends'], `expected a topology file ending .yaml, .yml or .json, found '${ext}'`);
    return null;
  }
  const chain = from.chain ?? [];
  const here = resolvePath(from.baseDir ?? dirname(from.source));
  const target = resolvePath(here, ext);
  const self = resolvePath(from.baseDir ?? dirname(from.source), basename(from.source));
  if (target === self || chain.includes(target)) {
    problems.problem(['extends'], `'${ext}' extends itself (a cycle: ${[...chain, self, target].map((p) => basename(p)).join(' -> ')})`);
    return null;
  }
  if (chain.length + 1 >= MAX_EXTENDS_DEPTH) {
    problems.problem(['extends'], `extends chains at most ${MAX_EXTENDS_DEPTH} files deep`);
    return null;
  }
  // Messages name the base as the user would: relative to the extending file's path as given.
  const shown = from.baseDir === undefined ? join(dirname(from.source), ext) : target;
  try {
    return load(shown, { chain: [...chain, self] });
  } catch (e) {
    if (e instanceof TopologyFileError) {
      problems.problem(['extends'], `the base file '${shown}' has ${e.problems.length === 1 ? 'a problem' : `${e.problems.length} problems`} (below)`);
      problems.list.push(...e.problems);
    } else if (e instanceof InputError) problems.problem(['extends'], e.message);
    else throw e;
    return null;
  }
}
