import { machineDescriptors } from '../../models/machines/index.js';
import { topologyShapeProblems } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { ProblemList } from './problemList.js';
import type { DocPath } from './problems.js';

/**
 * The shape checks of models/system.ts, reported at the file's paths (skipping paths already reported).
 * `tierPaths`: each tier's path in the file, null when inherited untouched; `presetPerInstance`: the
 * tiers whose perInstance came from their preset, by index, with the preset's name.
 */
export function reportShape(topology: Topology, tierPaths: readonly (DocPath | null)[], presetPerInstance: ReadonlyMap<number, string>, problems: ProblemList): void {
  const reported = new Set(problems.list.map((p) => JSON.stringify(p.path)));
  for (const sp of topologyShapeProblems(topology)) {
    let path: DocPath;
    // The file's words for kinds, not the machines'.
    let message = inFileWords(sp.message);
    if (sp.tier === null) path = sp.field ? [sp.field] : [];
    else {
      const t = topology.tiers[sp.tier]!;
      // A tier whose name is missing was reported already; its placeholder name is not worth a second message.
      if (/^unnamed\d+$/.test(t.name) && sp.field === 'name') continue;
      const tp = tierPaths[sp.tier];
      if (tp === undefined || tp === null) {
        path = ['tiers'];
        message = `tiers[${sp.tier}] ('${t.name}', inherited from the base): ${message}`;
      } else {
        path = sp.field ? [...tp, sp.field] : tp;
        if (typeof tp[1] === 'number') message = `tier '${t.name}': ${message}`;
        const preset = presetPerInstance.get(sp.tier);
        if (sp.field === 'perInstance' && preset !== undefined && typeof tp[1] === 'number')
          message += ` (perInstance: ${t.perInstance} comes from preset '${preset}'; write perInstance: ${!t.perInstance} to change it)`;
      }
    }
    if (reported.has(JSON.stringify(path))) continue;
    problems.problem(path, message);
  }
}

/** A message in the file's words: machine kinds (`l7Proxy`) become file kinds (`proxy`). */
export function inFileWords(message: string): string {
  let out = message;
  for (const d of machineDescriptors()) if (d.kind !== d.fileKind) out = out.replace(new RegExp(`\\b${d.kind}\\b`, 'g'), d.fileKind);
  return out;
}
