import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { seed, topologies } from '../../models/topologies/index.js';
import { checkCommand } from '../../src/cli/checkCommand.js';
import { initCommand } from '../../src/cli/initCommand.js';
import { replayCommand } from '../../src/cli/replayCommand.js';
import { topologiesCommand } from '../../src/cli/topologiesCommand.js';
import { resolveTopology } from '../../src/index.js';
import { parseTopologyText } from '../../src/topologyFile/load.js';

/** The commands as a new user meets them: init, edit, check, a typo; topologies; replay --topology. */

const root = join(import.meta.dirname, '../..');
let dir: string;
let out: string;
let cwd: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'connmodel-cli-'));
  cwd = process.cwd();
  process.chdir(dir);
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
});
afterEach(() => {
  process.chdir(cwd);
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('connmodel init', () => {
  it('writes a commented starter that loads as is, pointing at the shipped JSON Schema', () => {
    expect(initCommand(['my.yaml'])).toBe(0);
    expect(out).toContain('connmodel check --topology my.yaml');
    const text = readFileSync('my.yaml', 'utf8');
    const ref = /^# yaml-language-server: \$schema=(.*)$/m.exec(text)![1]!;
    expect(existsSync(join(dir, ref))).toBe(true);
    expect(readFileSync(join(dir, ref), 'utf8')).toBe(readFileSync(join(root, 'schema/topology.schema.json'), 'utf8'));
    const t = resolveTopology('my.yaml');
    expect(t.name).toBe('my');
    expect({ ...t, name: seed.name, description: seed.description }).toEqual(seed);
  });

  it('refuses to overwrite (exit 2, file untouched) unless --force', () => {
    writeFileSync('mine.yaml', 'precious\n');
    expect(() => initCommand(['mine.yaml'])).toThrow(new InputError("'mine.yaml' already exists and was left as it is; use --force to replace it"));
    expect(readFileSync('mine.yaml', 'utf8')).toBe('precious\n');
    expect(initCommand(['mine.yaml', '--force'])).toBe(0);
    expect(readFileSync('mine.yaml', 'utf8')).toMatch(/^# yaml-language-server/);
  });

  it('writes YAML only, never takes a shipped name, defaults to topology.yaml', () => {
    expect(() => initCommand(['my.json'])).toThrow(/name the file \.yaml or \.yml, found 'my\.json'/);
    expect(existsSync('my.json')).toBe(false);
    expect(initCommand(['seed.yaml'])).toBe(0);
    expect(resolveTopology('seed.yaml').name).toBe('my-seed');
    expect(initCommand([])).toBe(0);
    expect(existsSync('topology.yaml')).toBe(true);
    expect(() => initCommand(['a.yaml', 'b.yaml'])).toThrow(InputError);
  });
});

describe('--topology FILE', () => {
  it('new user: edit a timeout, check it; a typo gets one clear error and nothing is written', async () => {
    initCommand(['my.yaml']);
    const text = readFileSync('my.yaml', 'utf8');
    writeFileSync('my.yaml', text.replace(/\n    downstreamIdleTimeout: 75s/, '\n    downstreamIdleTimeout: 60s'));
    out = '';
    const code = await checkCommand(['--topology', 'my.yaml', '--property', 'queue-admission', '--runs', '5', '--no-out']);
    expect(code).toBe(0);
    expect(out).toContain("topology 'my'");
    const nginx = resolveTopology('my.yaml').tiers.find((t) => t.name === 'nginx')!;
    expect(nginx.kind === 'l7Proxy' && nginx.params.downstreamIdleTimeout).toBe(60_000);

    writeFileSync('typo.yaml', text.replace(/\n    downstreamIdleTimeout: 75s/, '\n    downstreamIdelTimeout: 75s'));
    let message = '';
    try {
      checkCommand(['--topology', 'typo.yaml', '--out', 'traces']);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      message = (e as Error).message;
    }
    const line = text.split('\n').findIndex((l) => l.startsWith('    downstreamIdleTimeout: 75s')) + 1;
    expect(message).toBe(
      [
        'typo.yaml: a problem in the topology file (nothing was run or written):',
        `  typo.yaml:${line}:5: tiers[5].downstreamIdelTimeout: unknown field; did you mean 'downstreamIdleTimeout'?`,
        'The format: docs/topology-files.md in the connmodel package; a commented starter file: connmodel init FILE.yaml',
      ].join('\n'),
    );
    expect(existsSync('traces')).toBe(false);
  });

  it('the rerun hint names the file, not just the topology name', async () => {
    writeFileSync('ext.yaml', 'extends: seed\ntiers:\n  connQueue: { limit: 2 }\n');
    expect(await checkCommand(['--topology', 'ext.yaml', '--property', 'one-to-one', '--runs', '20', '--json', '--no-out'])).toBe(1);
    const report = JSON.parse(out) as { topology: string; results: { counterexample: { replay: string } }[] };
    expect(report.topology).toBe('ext');
    expect(report.results[0]!.counterexample.replay).toMatch(/^connmodel check --topology ext\.yaml /);
  });

  it('resolveTopology: shipped names, files, and one clear error otherwise', () => {
    for (const [name, t] of Object.entries(topologies)) expect(resolveTopology(name)).toBe(t);
    expect(resolveTopology(join(root, 'examples/seed.yaml'))).toEqual(seed);
    expect(() => resolveTopology('sed')).toThrow(/unknown topology 'sed'; expected a shipped topology \(seed, mistaken.*\) or a topology file ending \.yaml, \.yml or \.json; did you mean 'seed'\?/);
    writeFileSync('mine.yaml', 'extends: seed\n');
    expect(() => resolveTopology('mine')).toThrow(/did you mean the file 'mine\.yaml'\?/);
    expect(() => resolveTopology('./mine')).toThrow(/must end with \.yaml, \.yml or \.json/);
    expect(() => resolveTopology('missing.yaml')).toThrow(/topology file 'missing\.yaml' not found/);
  });

  it('replay --topology replays a saved schedule on another topology', async () => {
    writeFileSync('small.yaml', 'extends: seed\ntiers:\n  connQueue: { limit: 2 }\n');
    await checkCommand(['--topology', 'seed', '--property', 'one-to-one', '--runs', '50', '--out', 'traces']);
    out = '';
    expect(replayCommand(['traces/seed/one-to-one.trace.json', '--quiet'])).toBe(0);
    out = '';
    const code = replayCommand(['traces/seed/one-to-one.trace.json', '--quiet', '--topology', 'small.yaml']);
    expect(out).toContain("note: replayed on topology 'small' (--topology small.yaml), not on the 'seed' this trace was made with");
    expect([0, 1]).toContain(code);
  });
});

describe('connmodel topologies', () => {
  it('lists every shipped topology with its description and pipeline', () => {
    expect(topologiesCommand([])).toBe(0);
    for (const t of Object.values(topologies)) {
      expect(out).toContain(`\n${t.name}`);
      expect(out).toContain(t.description);
    }
    expect(out).toContain('client > cdn [pooled] > gateway [fleet of 20] > nlb [L4] > 2x(connQueue [limit 15] > nginx [perRequest] > app [pooled]) > database');
  });

  it('--json: one document', () => {
    topologiesCommand(['--json']);
    const rows = JSON.parse(out) as { name: string; default: boolean; tiers: { kind: string }[] }[];
    expect(rows.map((r) => r.name)).toEqual(Object.keys(topologies));
    expect(rows.find((r) => r.default)!.name).toBe('seed');
    expect(rows[0]!.tiers.map((t) => t.kind)).toEqual(['client', 'proxy', 'proxy', 'loadBalancer', 'limiter', 'proxy', 'proxy', 'server']);
  });

  it('NAME or FILE: prints it in full as a topology file that loads back to the same topology', () => {
    writeFileSync('ext.yaml', 'extends: seed\ntiers:\n  nginx: { downstreamMaxRequests: 1000 }\n');
    topologiesCommand(['ext.yaml']);
    expect(out).toContain('downstreamMaxRequests: 1000');
    expect(parseTopologyText(out, { source: 'printed.yaml' })).toEqual(resolveTopology('ext.yaml'));
    out = '';
    topologiesCommand(['mistaken', '--json']);
    expect(parseTopologyText(out, { source: 'printed.json', format: 'json' })).toEqual(topologies.mistaken);
  });
});
