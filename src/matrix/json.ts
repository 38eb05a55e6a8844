import type { Matrix } from './run.js';
import { link } from './markdown.js';

/** The `--json` document. */
export function matrixJson(m: Matrix, doc: string | null): unknown {
  return {
    runs: m.runs,
    seed: m.seed,
    command: m.command,
    topologies: m.topologies.map((t) => ({
      name: t.name,
      description: t.description,
      ...(t.mitigation ? { mitigation: t.mitigation } : {}),
      results: Object.fromEntries(
        m.cells
          .filter((c) => c.topology === t.name)
          .map((c) => {
            const r = c.run;
            const label = c.result.counterexample ? 'counterexample' : 'witness';
            return [
              c.property,
              {
                verdict: c.verdict,
                healthy: c.healthy,
                ...(c.result.reason !== undefined ? { reason: c.result.reason } : {}),
                bounds: { ...c.result.bounds, runs: c.result.runs, seed: c.result.seed },
                ...(c.result.facets.length > 0 ? { facets: Object.fromEntries(c.result.facets.map((f) => [f.facet, f.verdict])) } : {}),
                ...(r
                  ? {
                      [label]: {
                        clientConnections: r.clientConnections,
                        requests: r.requests,
                        steps: r.steps,
                        ...(r.facet !== null ? { facet: r.facet } : {}),
                        message: r.message,
                        // Absent when the trace could not be written (the failure is reported on its own).
                        ...(c.trace ? { trace: link(c.trace, doc), diagram: link(c.diagram!, doc) } : {}),
                      },
                    }
                  : {}),
              },
            ];
          }),
      ),
      ...(m.coverage.has(t.name)
        ? { coverage: Object.fromEntries(m.coverage.get(t.name)!.map((c) => [c.kind, { states: c.states, transitions: c.transitions }])) }
        : {}),
      ...Object.fromEntries(m.properties.filter((p) => p.measure && m.measures.get(p.name)?.has(t.name)).map((p) => [p.measure!.key, m.measures.get(p.name)!.get(t.name)!.data])),
    })),
  };
}
