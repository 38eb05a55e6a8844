import { seed, mistaken } from './models/topologies/index.js';
import { catalogue } from './properties/catalogue.js';
import { check } from './src/explore/check.js';
for (const topo of [seed, mistaken]) for (const p of catalogue) {
  const t0 = performance.now();
  const r = check(topo, p, { runs: 200 });
  console.log(topo.name, p.name, r.verdict, Math.round(performance.now() - t0) + 'ms', r.facets.map(f => f.facet + ':' + f.verdict).join(' '));
  if (r.counterexample) { const c = r.counterexample; console.log('  ', c.facet, c.message, 'clients', c.clientConnections, 'reqs', c.requests, 'steps', c.steps, 'shrinks', c.shrinks, JSON.stringify(c.scenario)); }
}
