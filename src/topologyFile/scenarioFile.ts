import { z } from 'zod';
import { InputError } from '../../models/inputError.js';
import { descriptorOf } from '../../models/machines/index.js';
import { METHODS, type Method } from '../../models/machines/vocabulary.js';
import { MAX_METHOD_CYCLE, methodCycle } from '../../models/scenarios/methods.js';
import { anyDuration, flag, positiveDuration, text, whole } from '../../models/params/fields.js';
import type { DelayDistribution, RateSchedule, ScenarioEvent, SimulationScenario, ThrottleSetting } from '../../models/scenarios/scenario.js';
import { defaultScenario, scenarios } from '../../models/scenarios/shipped.js';
import type { Topology } from '../../models/topologies/topology.js';
import { has, isRecord, ProblemList } from './problemList.js';
import { TopologyFileError, type DocPath, type ProblemsIn } from './problems.js';
import { FileTooLargeError, readRegularText } from '../io/boundedRead.js';
import { formatOf } from './read.js';
import { MAX_FILE_BYTES, parseText } from './text.js';

/**
 * Simulation scenario files (YAML or JSON): read, validated field by field
 * with every problem reported at once (`file:line:col: path: message`, as
 * topology files are), and resolved to a SimulationScenario. A field left out
 * takes the value of the shipped `steady` scenario. The format:
 * docs/simulation.md; a commented starter: `connmodel init --scenario FILE`.
 */

export const SCENARIO_FILE: ProblemsIn = {
  what: 'the scenario file',
  format: 'The format: docs/simulation.md in the connmodel package; a commented starter file: connmodel init --scenario FILE.yaml',
};

const count = (min: number, max: number) => whole(min, max, false);
const rate = z.number({ error: 'expected a rate in requests per second (a number >= 0)' }).min(0, { error: 'expected a rate >= 0' }).max(1_000_000, { error: 'expected a rate of at most 1,000,000 per second' });

const fields = {
  top: { name: text('a scenario name', 64), description: text('a description', 500), duration: positiveDuration, clients: z.unknown(), requests: z.unknown(), arrivals: z.unknown(), delays: z.unknown(), throttle: z.unknown(), events: z.unknown(), topology: z.unknown() },
  clients: {
    count: count(1, 100_000),
    connections: count(1, 1000),
    queue: count(0, 1_000_000),
    closeAfterResponse: flag('close every connection after its answer'),
    timeout: positiveDuration.nullable(),
  },
  requests: { mix: z.unknown(), retries: z.unknown() },
  mixItem: {
    method: z.enum(METHODS as [Method, ...Method[]], { error: `expected an HTTP method: ${METHODS.join(', ')}` }),
    weight: count(0, 1000),
  },
  retries: { max: count(0, 10), backoff: anyDuration },
  arrivals: { rate, daily: z.unknown(), steps: z.unknown() },
  daily: { trough: rate, peak: rate, peakAt: anyDuration, startAt: anyDuration },
  step: { at: anyDuration, rate, ramp: anyDuration },
  delays: { network: z.unknown(), tiers: z.unknown() },
  lognormal: { median: anyDuration, p99: anyDuration },
  throttle: { tier: text('a tier name', 32), rate: count(1, 1_000_000), burst: count(1, 1_000_000), over: anyDuration },
  event: { at: anyDuration, databaseSlowdown: z.unknown(), restart: z.unknown(), replace: z.unknown(), reload: z.unknown(), unhealthy: z.unknown(), throttle: z.unknown() },
  slowdown: { median: anyDuration, p99: anyDuration, for: positiveDuration },
  reload: { tier: text('a tier name', 32), instance: count(1, 64) },
  unhealthy: { instance: count(1, 64), for: positiveDuration },
} as const;

const EVENT_KINDS = ['databaseSlowdown', 'restart', 'replace', 'reload', 'unhealthy', 'throttle'] as const;

class ScenarioReader {
  readonly problems: ProblemList;
  constructor(source: string) {
    this.problems = new ProblemList(source, SCENARIO_FILE);
  }

  record(data: unknown, path: DocPath, what: string): Record<string, unknown> | null {
    if (isRecord(data)) return data;
    this.problems.problem(path, `expected ${what}`);
    return null;
  }

  list(data: unknown, path: DocPath, what: string): unknown[] {
    if (Array.isArray(data)) return data;
    this.problems.problem(path, `expected a list of ${what}`);
    return [];
  }

  read<T extends Record<string, z.ZodType>>(obj: Record<string, unknown>, shape: T, path: DocPath): Partial<{ [K in keyof T]: z.output<T[K]> }> {
    return this.problems.fields(obj, shape as unknown as Record<string, z.ZodType>, path) as Partial<{ [K in keyof T]: z.output<T[K]> }>;
  }

  distribution(data: unknown, path: DocPath): DelayDistribution | null {
    if (data === 'uniform') return { kind: 'uniform' };
    const obj = this.record(data, path, "a distribution: uniform, { uniform: [1ms, 20ms] }, { lognormal: { median: 4ms, p99: 30ms } } or { fixed: 5ms }");
    if (!obj) return null;
    const keys = Object.keys(obj);
    if (keys.length !== 1 || !['lognormal', 'fixed', 'uniform'].includes(keys[0]!)) {
      this.problems.problem(path, `expected exactly one of uniform, lognormal, fixed; found ${keys.join(', ') || 'nothing'}`);
      return null;
    }
    if (keys[0] === 'uniform') {
      const r = z.tuple([anyDuration, anyDuration]).safeParse(obj.uniform);
      if (!r.success || r.data[0] > r.data[1]) {
        this.problems.problem([...path, 'uniform'], 'expected a range [min, max] of two durations, min <= max, e.g. [1ms, 20ms]');
        return null;
      }
      return { kind: 'uniform', min: r.data[0], max: r.data[1] };
    }
    if (keys[0] === 'fixed') {
      const r = anyDuration.safeParse(obj.fixed);
      if (!r.success) this.problems.problem([...path, 'fixed'], r.error.issues[0]!.message);
      return r.success ? { kind: 'fixed', ms: r.data } : null;
    }
    const ln = this.record(obj.lognormal, [...path, 'lognormal'], 'a mapping { median, p99 }');
    if (!ln) return null;
    const v = this.read(ln, fields.lognormal, [...path, 'lognormal']);
    if (v.median === undefined || v.p99 === undefined) {
      this.problems.problem([...path, 'lognormal'], 'needs both median and p99');
      return null;
    }
    if (v.p99 < v.median) this.problems.problem([...path, 'lognormal', 'p99'], `must be at least the median (${v.median} ms)`);
    return { kind: 'lognormal', median: v.median, p99: v.p99 };
  }

  arrivals(data: unknown, base: RateSchedule): RateSchedule {
    const obj = this.record(data, ['arrivals'], 'a mapping with one of rate, daily, steps');
    if (!obj) return base;
    const v = this.read(obj, fields.arrivals, ['arrivals']);
    const given = (['rate', 'daily', 'steps'] as const).filter((k) => has(obj, k));
    if (given.length !== 1) {
      this.problems.problem(['arrivals'], `expected exactly one of rate (requests/s), daily { trough, peak, peakAt, startAt } or steps [{ at, rate, ramp }]; found ${given.join(', ') || 'none'}`);
      return base;
    }
    if (given[0] === 'rate') return { kind: 'constant', rate: v.rate ?? 0 };
    if (given[0] === 'daily') {
      const d = this.record(obj.daily, ['arrivals', 'daily'], 'a mapping { trough, peak, peakAt, startAt }');
      if (!d) return base;
      const x = this.read(d, fields.daily, ['arrivals', 'daily']);
      for (const k of ['trough', 'peak'] as const) if (x[k] === undefined && !has(d, k)) this.problems.problem(['arrivals', 'daily'], `missing ${k} (requests/s)`);
      if (x.trough !== undefined && x.peak !== undefined && x.peak < x.trough) this.problems.problem(['arrivals', 'daily', 'peak'], `must be at least the trough (${x.trough})`);
      return { kind: 'daily', trough: x.trough ?? 0, peak: x.peak ?? 0, peakAt: x.peakAt ?? 14 * 3_600_000, startAt: x.startAt ?? 0 };
    }
    const points = this.list(obj.steps, ['arrivals', 'steps'], 'steps { at, rate, ramp }').map((s, i) => {
      const path = ['arrivals', 'steps', i];
      const o = this.record(s, path, 'a mapping { at, rate, ramp }');
      if (!o) return null;
      const x = this.read(o, fields.step, path);
      if (!has(o, 'at') || !has(o, 'rate')) this.problems.problem(path, 'needs at and rate');
      return { at: x.at ?? 0, rate: x.rate ?? 0, ...(x.ramp ? { ramp: x.ramp } : {}) };
    });
    const ok = points.filter((p): p is NonNullable<typeof p> => p !== null);
    ok.forEach((p, i) => {
      if (i > 0 && p.at < ok[i - 1]!.at) this.problems.problem(['arrivals', 'steps', i, 'at'], 'steps must be in time order');
    });
    return { kind: 'points', points: ok };
  }

  throttle(data: unknown, path: DocPath, base: ThrottleSetting): ThrottleSetting | null {
    if (data === null || data === 'off') return { tier: base.tier, rate: null, burst: null, over: 0 };
    const obj = this.record(data, path, 'a throttle { rate, burst, over, tier }, or off');
    if (!obj) return null;
    const v = this.read(obj, fields.throttle, path);
    if (!has(obj, 'rate')) this.problems.problem(path, 'missing rate (requests per second)');
    return { tier: v.tier ?? base.tier, rate: v.rate ?? 1, burst: v.burst ?? null, over: v.over ?? 0 };
  }

  events(data: unknown, throttle: ThrottleSetting): ScenarioEvent[] {
    const out: ScenarioEvent[] = [];
    this.list(data, ['events'], 'events { at, <what> }').forEach((item, i) => {
      const path = ['events', i];
      const obj = this.record(item, path, `an event { at: 3m, <one of ${EVENT_KINDS.join(', ')}> }`);
      if (!obj) return;
      const v = this.read(obj, fields.event, path);
      const kinds = EVENT_KINDS.filter((k) => has(obj, k));
      if (!has(obj, 'at')) this.problems.problem(path, 'missing at: when it happens (a duration from the start, e.g. 3m)');
      if (kinds.length !== 1) {
        this.problems.problem(path, `expected exactly one of ${EVENT_KINDS.join(', ')}; found ${kinds.join(', ') || 'none'}`);
        return;
      }
      const at = v.at ?? 0;
      const kind = kinds[0]!;
      const p = [...path, kind];
      const body = obj[kind];
      switch (kind) {
        case 'databaseSlowdown': {
          const o = this.record(body, p, 'a mapping { median, p99, for }');
          if (!o) return;
          const x = this.read(o, fields.slowdown, p);
          if (x.median === undefined || x.p99 === undefined || x.for === undefined) return void this.problems.problem(p, 'needs median, p99 and for');
          if (x.p99 < x.median) this.problems.problem([...p, 'p99'], `must be at least the median (${x.median} ms)`);
          out.push({ at, kind, delay: { kind: 'lognormal', median: x.median, p99: x.p99 }, for: x.for });
          return;
        }
        case 'restart':
        case 'replace': {
          const r = count(1, 64).safeParse(body);
          if (!r.success) return void this.problems.problem(p, 'expected the instance number (1 is the first)');
          out.push({ at, kind, instance: r.data });
          return;
        }
        case 'reload': {
          const o = this.record(body, p, 'a mapping { tier, instance }');
          if (!o) return;
          const x = this.read(o, fields.reload, p);
          if (x.tier === undefined) return void this.problems.problem(p, 'missing tier (e.g. nginx)');
          out.push({ at, kind, tier: x.tier, instance: x.instance ?? 1 });
          return;
        }
        case 'unhealthy': {
          const o = this.record(body, p, 'a mapping { instance, for }');
          if (!o) return;
          const x = this.read(o, fields.unhealthy, p);
          if (x.instance === undefined || x.for === undefined) return void this.problems.problem(p, 'needs instance and for');
          out.push({ at, kind, instance: x.instance, for: x.for });
          return;
        }
        case 'throttle': {
          const t = this.throttle(body, p, throttle);
          if (t) out.push({ at, kind, ...t });
          return;
        }
      }
    });
    return out;
  }

  /** Tier overrides, checked against a topology's tiers and their kinds' parameter schemas when one is given. */
  overrides(data: unknown, topology: Topology | null): SimulationScenario['topology'] {
    const obj = this.record(data, ['topology'], 'a mapping of tier name to parameters, e.g. { database: { responseTime: [1ms, 5s] } }');
    if (!obj) return {};
    const out: SimulationScenario['topology'] = {};
    for (const [tier, params] of Object.entries(obj)) {
      const path = ['topology', tier];
      const p = this.record(params, path, 'a mapping of parameters');
      if (!p) continue;
      const spec = topology?.tiers.find((t) => t.name === tier);
      if (topology && !spec) {
        this.problems.problem(path, `no tier '${tier}' in topology '${topology.name}'; its tiers: ${topology.tiers.map((t) => t.name).join(', ')}`);
        continue;
      }
      out[tier] = spec ? this.read(p, descriptorOf(spec.kind).params.fields as Record<string, z.ZodType>, path) : p;
    }
    return out;
  }
}

/** Parses a scenario file's text. `topology`: the one it will run on, to check tier names and instance numbers. */
export function parseScenarioText(text: string, source: string, topology: Topology | null = null): SimulationScenario {
  const r = new ScenarioReader(source);
  const problems: ProblemList = r.problems;
  const parsed = parseText(text, formatOf(source), (p) => problems.list.push({ source, ...p }));
  if (!parsed) return problems.fail();
  problems.parsed = parsed;
  const data = parsed.data;
  if (!isRecord(data)) {
    problems.problem([], 'expected a mapping of scenario fields (clients, arrivals, events, …)');
    return problems.fail();
  }
  const base = scenarios[defaultScenario]!;
  const top = r.read(data, fields.top, []);
  const clientsData = has(data, 'clients') ? r.record(data.clients, ['clients'], 'a mapping { count, connections, queue, closeAfterResponse, timeout }') : null;
  const c = clientsData ? r.read(clientsData, fields.clients, ['clients']) : {};
  const clients: SimulationScenario['clients'] = {
    count: c.count ?? base.clients.count,
    connections: c.connections ?? base.clients.connections,
    queue: c.queue ?? base.clients.queue,
    closeAfterResponse: c.closeAfterResponse ?? base.clients.closeAfterResponse,
    ...(clientsData && has(clientsData, 'timeout') ? { timeout: c.timeout ?? null } : {}),
  };
  let requests = base.requests;
  if (has(data, 'requests')) {
    const rq = r.record(data.requests, ['requests'], 'a mapping { mix, retries }');
    if (rq) {
      r.read(rq, fields.requests, ['requests']);
      const mix = has(rq, 'mix')
        ? r.list(rq.mix, ['requests', 'mix'], 'request kinds { method, weight }').flatMap((m, i) => {
            const path = ['requests', 'mix', i];
            const o = r.record(m, path, 'a mapping { method, weight }');
            if (!o) return [];
            const x = r.read(o, fields.mixItem, path);
            return [{ method: x.method ?? 'GET', weight: x.weight ?? 1 }];
          })
        : base.requests.mix;
      if (mix.length === 0 || mix.every((m) => m.weight === 0)) problems.problem(['requests', 'mix'], 'needs at least one request kind with a weight above 0');
      else if (!methodCycle(mix))
        problems.problem(
          ['requests', 'mix'],
          `weights ${mix.map((m) => m.weight).join(':')} do not reduce to at most ${MAX_METHOD_CYCLE} requests: each client connection cycles through the methods (its client machine's methods), e.g. 4:1 for 80% GET, 20% POST`,
        );
      const rt = has(rq, 'retries') ? r.record(rq.retries, ['requests', 'retries'], 'a mapping { max, backoff }') : null;
      const x = rt ? r.read(rt, fields.retries, ['requests', 'retries']) : {};
      requests = { mix, retries: { max: x.max ?? base.requests.retries.max, backoff: x.backoff ?? base.requests.retries.backoff } };
    }
  }
  const arrivals = has(data, 'arrivals') ? r.arrivals(data.arrivals, base.arrivals) : base.arrivals;
  let delays = base.delays;
  if (has(data, 'delays')) {
    const d = r.record(data.delays, ['delays'], 'a mapping { network, tiers }');
    if (d) {
      r.read(d, fields.delays, ['delays']);
      const network = has(d, 'network') ? (r.distribution(d.network, ['delays', 'network']) ?? base.delays.network) : base.delays.network;
      const tiers: Record<string, DelayDistribution> = {};
      if (has(d, 'tiers')) {
        const t = r.record(d.tiers, ['delays', 'tiers'], 'a mapping of tier name to distribution');
        for (const [name, v] of Object.entries(t ?? {})) {
          if (topology && !topology.tiers.some((x) => x.name === name))
            problems.problem(['delays', 'tiers', name], `no tier '${name}' in topology '${topology.name}'; its tiers: ${topology.tiers.map((x) => x.name).join(', ')}`);
          const dist = r.distribution(v, ['delays', 'tiers', name]);
          if (dist) tiers[name] = dist;
        }
      }
      delays = { network, tiers };
    }
  }
  const throttle = has(data, 'throttle') ? (r.throttle(data.throttle, ['throttle'], base.throttle) ?? base.throttle) : base.throttle;
  const events = has(data, 'events') ? r.events(data.events, throttle) : [];
  const overrides = has(data, 'topology') ? r.overrides(data.topology, topology) : {};
  if (topology) checkAgainst(topology, throttle, events, problems, has(data, 'throttle') ? ['throttle'] : null);
  if (problems.list.length > 0) problems.fail();
  const name = top.name ?? source.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  const description = top.description ?? `the scenario in ${source}`;
  return { name, description, about: description, duration: top.duration ?? base.duration, clients, requests, arrivals, delays, throttle, events, topology: overrides };
}

/** Whether a tier's machine takes throttle changes (a control-plane THROTTLE event): read from the machine, not its context. */
function throttles(topology: Topology, tier: string): boolean {
  const spec = topology.tiers.find((t) => t.name === tier);
  return spec !== undefined && descriptorOf(spec.kind).machine.root.events.includes('THROTTLE');
}

function throttleProblem(topology: Topology, tier: string): string {
  const able = topology.tiers.filter((t) => throttles(topology, t.name)).map((t) => t.name);
  return `tier '${tier}' of topology '${topology.name}' ${topology.tiers.some((t) => t.name === tier) ? 'has no throttle' : 'does not exist'}; tiers that throttle: ${able.join(', ') || 'none'}`;
}

/**
 * Instance numbers and tiers the events name must exist in the topology, and
 * the throttled tier must throttle. `throttlePath`: where the file set the
 * starting throttle (null: it is steady's, which a topology without that
 * tier runs without: the account default applies to API Gateway only).
 */
function checkAgainst(topology: Topology, throttle: ThrottleSetting, events: readonly ScenarioEvent[], problems: ProblemList, throttlePath: DocPath | null) {
  if (throttlePath && throttle.rate !== null && !throttles(topology, throttle.tier)) problems.problem(throttlePath, throttleProblem(topology, throttle.tier));
  events.forEach((e, i) => {
    if (e.kind === 'throttle' && !throttles(topology, e.tier)) problems.problem(['events', i, 'throttle'], throttleProblem(topology, e.tier));
    if ('instance' in e && e.instance > topology.instances)
      problems.problem(['events', i, e.kind], `instance ${e.instance}: topology '${topology.name}' has ${topology.instances} instance${topology.instances === 1 ? '' : 's'}`);
    if (e.kind === 'reload' && !topology.tiers.some((t) => t.name === e.tier))
      problems.problem(['events', i, 'reload', 'tier'], `no tier '${e.tier}' in topology '${topology.name}'; its tiers: ${topology.tiers.map((t) => t.name).join(', ')}`);
  });
}

/**
 * The text of a scenario file, read as topology files are (src/io/boundedRead.ts):
 * a regular file only, at most MAX_FILE_BYTES counted as read; an InputError
 * naming the path and the reason otherwise.
 */
export function readScenarioFile(path: string): string {
  try {
    return readRegularText(path, {
      what: 'scenario file',
      maxBytes: MAX_FILE_BYTES,
      ...(/\.ya?ml$/i.test(path) ? { notFoundHint: `to write a commented starter scenario there: connmodel init --scenario ${path}` } : {}),
    });
  } catch (e) {
    if (e instanceof FileTooLargeError)
      throw new TopologyFileError(path, [{ source: path, path: [], message: `the file is larger than ${MAX_FILE_BYTES / 1024} KiB; a scenario file may be at most ${MAX_FILE_BYTES / 1024} KiB` }], SCENARIO_FILE);
    throw e;
  }
}

/** Reads a scenario file (YAML or JSON). */
export function loadScenarioFile(path: string, topology: Topology | null = null): SimulationScenario {
  return parseScenarioText(readScenarioFile(path), path, topology);
}

/** `--scenario NAME|FILE`: a shipped scenario by name, or a file by path; checked against the topology it will run on. */
export function resolveScenario(arg: string, topology: Topology | null = null): SimulationScenario {
  if (Object.hasOwn(scenarios, arg)) {
    const s = scenarios[arg]!;
    if (topology) {
      const problems = new ProblemList(arg, SCENARIO_FILE);
      checkAgainst(topology, s.throttle, s.events, problems, null);
      if (problems.list.length > 0) throw new InputError(`scenario '${arg}' does not fit topology '${topology.name}': ${problems.list.map((p) => p.message).join('; ')}`);
    }
    return s;
  }
  if (/\.(ya?ml|json)$/i.test(arg) || arg.includes('/')) return loadScenarioFile(arg, topology);
  throw new InputError(`unknown scenario '${arg}'; expected a shipped scenario (${Object.keys(scenarios).join(', ')}) or a scenario file ending .yaml, .yml or .json`);
}

