import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { seed, topologies } from '../../models/topologies/index.js';
import { formatPath, TopologyFileError } from '../../src/topologyFile/problems.js';
import { loadTopologyFile, parseTopologyText } from '../../src/topologyFile/load.js';

/** The problems of a document, as `line path: message` strings. */
function problemsOf(text: string, source = 'my.yaml'): string[] {
  try {
    parseTopologyText(text, { source, baseDir: join(import.meta.dirname, '../../examples') });
  } catch (e) {
    expect(e).toBeInstanceOf(TopologyFileError);
    return (e as TopologyFileError).problems.map((p) => `${p.line ?? '-'} ${formatPath(p.path)}: ${p.message}`);
  }
  throw new Error('expected the document to be refused');
}

const pipeline = (tiers: string) => `instances: 2\ntiers:\n${tiers}`;

describe('topology file errors: every problem at once, each with its path and line', () => {
  it('a typo in a field name names the field and the closest valid name', () => {
    const text = pipeline(`  - preset: client
  - preset: cdn
  - preset: gateway
  - preset: nlb
  - preset: connQueue
  - preset: nginx
    keepaliveRequest: 1000
  - preset: app
  - preset: database
`);
    expect(problemsOf(text)).toEqual(["9 tiers[5].keepaliveRequest: unknown field; did you mean 'downstreamMaxRequests'?"]);
  });

  it('reports wrong types, ranges, enums, unknown kinds and presets all together, in file order', () => {
    const text = `name: my pipeline
instances: 0
latency: [20ms, 1ms]
bounds: { clients: 2, request: 3 }
tiers:
  - kind: client
    timeout: soon
  - preset: nginxx
  - kind: proxy
    name: edge
    upstreamPolicy: pool
    downstreamIdleTimeout: 0.5ms
  - kind: loadBalancer
    name: lb
    targets: 3
  - kind: limiter
    name: q
    limit: -1
  - kind: nginx
  - kind: server
    responseTime: [1ms]
`;
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.stringMatching(/^1 name: expected a name: .*found "my pipeline"$/),
      '2 instances: expected a whole number from 1 to 64, found 0',
      '3 latency: expected min <= max in the window [min, max], found [20ms, 1ms]',
      "4 bounds.request: unknown field; did you mean 'requests'?",
      expect.stringMatching(/^7 tiers\[0\]\.timeout: expected a duration: .*'75s'.*found "soon"$/),
      "8 tiers[1].preset: expected one of: app, appNode24, appNode26, cdn, client, connQueue, database, gateway, nginx, nlb, found \"nginxx\"; did you mean 'nginx'?",
      '11 tiers[2].upstreamPolicy: expected one of: pinned, pooled, fleet, perRequest, found "pool"',
      '12 tiers[2].downstreamIdleTimeout: expected whole milliseconds (model time has 1 ms resolution), found "0.5ms"',
      "15 tiers[3].targets: unknown field: a load balancer's targets are the topology's top-level `instances`",
      '18 tiers[4].limit: expected a whole number from 1 to 100000, found -1',
      "19 tiers[5].kind: expected one of: client, proxy, loadBalancer, limiter, server, found \"nginx\"; 'nginx' is a preset: write `preset: nginx`",
      '21 tiers[6].responseTime: expected a window [min, max] of two durations, e.g. [1ms, 20ms], found ["1ms"]',
    ]);
  });

  it('checks the shape of the pipeline with models/system.ts, in the file\'s words', () => {
    const text = pipeline(`  - kind: proxy
    name: edge
    upstreamPolicy: pooled
  - kind: loadBalancer
    name: lb
  - kind: loadBalancer
    name: lb2
  - kind: server
    name: edge
    perInstance: false
  - kind: limiter
    name: q
    limit: 5
`);
    const problems = problemsOf(text);
    expect(problems.slice(0, 3)).toEqual([
      "3 tiers[0].kind: tier 'edge': the first tier must be the client, found a proxy",
      "6 tiers[1]: tier 'lb': passes connections through, so it must sit between two terminating tiers; found 'edge' (proxy) before it and 'lb2' (loadBalancer) after it",
      "8 tiers[2]: tier 'lb2': passes connections through, so it must sit between two terminating tiers; found 'lb' (loadBalancer) before it and 'edge' (server) after it",
    ]);
    const all = problems.join('\n');
    expect(all).toContain("tier 'edge': a server answers every request itself, so it must be the last tier");
    expect(all).toContain("tier 'edge': 'edge' is used twice; tier names must be unique");
    expect(all).toContain("tiers[3].perInstance: tier 'edge': follows load balancer 'lb2', so it must be per-instance");
    expect(all).toContain("tiers[4].kind: tier 'q': the last tier must be a server (it answers requests); a limiter forwards to a next tier and there is none");
  });

  it('reports schema and shape problems in one go when the tiers are still recognisable', () => {
    const problems = problemsOf(
      pipeline(`  - preset: client
  - kind: proxy
    name: edge
    upstreamPolicy: pooled
    downstreamIdelTimeout: 5s
  - kind: limiter
    name: q
    limit: 5
`),
    );
    expect(problems).toEqual([
      "7 tiers[1].downstreamIdelTimeout: unknown field; did you mean 'downstreamIdleTimeout'?",
      "8 tiers[2].kind: tier 'q': the last tier must be a server (it answers requests); a limiter forwards to a next tier and there is none",
    ]);
  });

  it('overrides with extends: matched by tier name, kind fixed, unknown tiers and extends named', () => {
    expect(problemsOf('extends: sed\n')).toEqual([
      `1 extends: unknown topology 'sed'; expected a shipped topology (${Object.keys(topologies).join(', ')}) or a file ending .yaml, .yml or .json; did you mean 'seed'?`,
    ]);
    const problems = problemsOf(`extends: seed
tiers:
  ngnix: { downstreamIdleTimeout: 60s }
  nginx: { keepalive_timeout: 60s, kind: limiter }
  gateway: { workers: 100, preset: cdn }
`);
    expect(problems).toEqual([
      "3 tiers.ngnix: no tier named 'ngnix' in 'seed'; did you mean 'nginx'? (overrides are matched by tier name; to add or remove tiers, list the whole pipeline under tiers)",
      "4 tiers.nginx.keepalive_timeout: unknown field; did you mean 'downstreamIdleTimeout'?",
      "4 tiers.nginx.kind: 'nginx' is a proxy in 'seed' and an override cannot change its kind, found \"limiter\"; to change the pipeline, list every tier under tiers",
      '5 tiers.gateway.workers: expected a whole number from 1 to 64, found 100',
      '5 tiers.gateway.preset: an override cannot start from a preset; to replace \'gateway\', list every tier under tiers',
    ]);
    expect(problemsOf('tiers:\n  nginx: { downstreamIdleTimeout: 60s }\n')).toEqual([
      '1 tiers: a mapping of tier overrides needs `extends` (the topology whose tiers it overrides); without it, list the tiers in order',
    ]);
  });

  it('an override that breaks the shape is reported at the override', () => {
    expect(problemsOf('extends: seed\ntiers:\n  connQueue: { perInstance: false }\n')).toEqual([
      "2 tiers: tiers[5] ('nginx', inherited from the base): a per-instance tier must follow a load balancer or another per-instance tier; 'connQueue' before it is shared",
      "3 tiers.connQueue.perInstance: follows load balancer 'nlb', so it must be per-instance (one copy on each of its targets)",
    ]);
  });

  it('a shipped name may only be used for the identical topology', () => {
    const problems = problemsOf('extends: seed\nname: seed\ntiers:\n  nginx: { downstreamIdleTimeout: 60s }\n');
    expect(problems).toEqual([
      "2 name: 'seed' is a shipped topology and this file differs from it (description differs); give yours its own name (name: my-seed), so that reports and replays never confuse the two",
    ]);
    expect(problemsOf(`extends: seed\nname: seed\ndescription: ${JSON.stringify(seed.description)}\ntiers:\n  nginx: { downstreamIdleTimeout: 60s }\n`)[0]).toContain(
      '(tiers[5].params.downstreamIdleTimeout differs)',
    );
    expect(parseTopologyText(`extends: seed\nname: seed\ndescription: ${JSON.stringify(seed.description)}\n`, { source: 'x.yaml' })).toEqual(seed);
  });

  it('health checks are checked by the model too (models/system.ts)', () => {
    const problems = problemsOf('extends: seed\nhealthCheck: { entersAt: queue }\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^2 healthCheck\.entersAt: healthCheck\.entersAt is 'queue'; allowed: /);
    expect(parseTopologyText('extends: seed\nhealthCheck: null\n', { source: 'x.yaml' }).healthCheck).toBeUndefined();
  });

  it('syntax errors, empty documents, wrong top-level types', () => {
    expect(problemsOf('tiers: [1,\n')[0]).toMatch(/^2 \(top level\): YAML syntax: /);
    expect(problemsOf('a: 1\na: 2\n')).toEqual(['2 (top level): YAML syntax: Map keys must be unique']);
    expect(problemsOf('')).toEqual(['- (top level): expected a mapping of topology fields (tiers, instances, bounds, …), found an empty document']);
    expect(problemsOf('- a\n- b\n')).toEqual(['1 (top level): expected a mapping of topology fields (tiers, instances, bounds, …), found a list']);
    expect(problemsOf('{"tiers": [}', 'my.json')[0]).toMatch(/^1 \(top level\): JSON syntax: /);
    expect(problemsOf('tiers: 5\n')).toEqual(['1 tiers: expected a list of tiers (or, with `extends`, a mapping of overrides by tier name), found 5']);
    expect(problemsOf('instances: 2\n')).toEqual(['1 tiers: missing: expected the list of tiers, the client first (or `extends` a shipped topology)']);
  });

  it('bounds what a document may cost: size, nesting, aliases', () => {
    expect(problemsOf(`description: "${'x'.repeat(300_000)}"\n`)).toEqual(['- (top level): the file is 293 KiB; a topology file may be at most 256 KiB']);
    expect(problemsOf(`tiers: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)).toEqual([
      '- (top level): the document nests more than 24 levels deep; a topology file needs about 5',
    ]);
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    expect(problemsOf(bomb)).toEqual(['- (top level): the document expands aliases (*name) more than 100 times; a topology file needs a few']);
  });

  it('JSON files: same checks, with lines', () => {
    const problems = problemsOf('{\n  "extends": "seed",\n  "tiers": { "nginx": { "downstreamMaxRequest": 5 } }\n}\n', 'my.json');
    expect(problems).toEqual(["3 tiers.nginx.downstreamMaxRequest: unknown field; did you mean 'downstreamMaxRequests'?"]);
  });

  it('the error message is one block: headline, one line per problem with file:line:col, where to read more', () => {
    try {
      parseTopologyText('extends: seed\ntiers:\n  nginx: { downstreamIdleTimout: 60s }\n', { source: 'my.yaml' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as Error).message).toBe(
        [
          'my.yaml: a problem in the topology file (nothing was run or written):',
          "  my.yaml:3:12: tiers.nginx.downstreamIdleTimout: unknown field; did you mean 'downstreamIdleTimeout'?",
          'The format: docs/topology-files.md in the connmodel package; a commented starter file: connmodel init FILE.yaml',
        ].join('\n'),
      );
    }
  });

  it('files: missing, a directory, extends cycles and chains of files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'connmodel-topo-'));
    expect(() => loadTopologyFile(join(dir, 'nope.yaml'))).toThrow(/topology file '.*nope\.yaml' not found; to write a commented starter file there: connmodel init/);
    expect(() => loadTopologyFile(dir)).toThrow(InputError);
    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\n');
    expect(() => loadTopologyFile(join(dir, 'a.yaml'))).toThrow(/extends itself \(a cycle: a\.yaml -> b\.yaml -> a\.yaml\)/);
    writeFileSync(join(dir, 'base.yaml'), 'extends: seed\nname: base\ntiers:\n  nginx: { downstreamIdleTimeout: 60s }\n');
    writeFileSync(join(dir, 'child.yaml'), 'extends: base.yaml\ntiers:\n  connQueue: { limit: 3 }\n');
    const child = loadTopologyFile(join(dir, 'child.yaml'));
    expect(child.name).toBe('child');
    const byName = Object.fromEntries(child.tiers.map((t) => [t.name, t.params as unknown as Record<string, unknown>]));
    expect(byName.nginx!.downstreamIdleTimeout).toBe(60_000);
    expect(byName.connQueue!.limit).toBe(3);
    writeFileSync(join(dir, 'broken.yaml'), 'extends: seed\ntiers:\n  nginx: { limit: 3 }\n');
    writeFileSync(join(dir, 'uses-broken.yaml'), 'extends: broken.yaml\n');
    expect(() => loadTopologyFile(join(dir, 'uses-broken.yaml'))).toThrow(/has a problem \(below\)[\s\S]*broken\.yaml:3:12: tiers\.nginx\.limit: unknown field/);
    rmSync(dir, { recursive: true, force: true });
  });
});
