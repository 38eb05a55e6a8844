import { dirname } from 'node:path';
import { InputError } from '../../models/inputError.js';
import type { Topology } from '../../models/topologies/topology.js';
import { stableStringify } from '../kernel/hash.js';
import { parseTopologyText } from '../topologyFile/load.js';
import { formatOf, readTopologySource } from '../topologyFile/read.js';
import type { TraceFile } from './file.js';

const firstLine = (e: Error) => e.message.split('\n')[0]!;

/**
 * Whether the topology file a trace was made from still gives the topology
 * saved in it: null when it does, else one line saying what changed (the
 * file's bytes, by their SHA-256, or a file it extends) or why it cannot be
 * told. Replay runs on the saved copy either way; `--topology FILE` runs on
 * the file as it is now.
 */
export function topologyFileChange(ref: NonNullable<TraceFile['topologyFile']>, saved: Topology): string | null {
  const instead = `replayed on the copy saved in the trace; to replay on the file as it is now: --topology ${ref.path}`;
  let source;
  try {
    source = readTopologySource(ref.path);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return `the topology file this trace was made from cannot be read now (${firstLine(e)}); replayed on the copy saved in the trace`;
  }
  if (source.sha256 !== ref.sha256) return `topology file '${ref.path}' has changed since this trace was made (its SHA-256 differs); ${instead}`;
  try {
    const now = parseTopologyText(source.text, { source: ref.path, format: formatOf(ref.path), baseDir: dirname(ref.path) });
    if (stableStringify(now) !== stableStringify(saved)) return `topology file '${ref.path}' is unchanged, but a file it extends has changed since this trace was made; ${instead}`;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return `topology file '${ref.path}' is unchanged, but no longer loads (${firstLine(e)}); replayed on the copy saved in the trace`;
  }
  return null;
}
