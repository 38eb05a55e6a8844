import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * The CLI fuzz test's cases: command lines built from each command's options
 * with odd values mixed in, files made for the case (truncated and mutated
 * traces, broken topology files), and sometimes a disk that fills up. Cheap
 * by construction: a run that does real work explores one property for one
 * or two schedules; the options that bound the work are never dropped.
 */

/** Files prepared once for all cases (absolute paths). */
export interface Fixtures {
  /** Traces connmodel wrote, as text: copied into each case that uses one, so that diagrams drawn beside them land in the case. */
  traceTexts: string[];
  /** A valid topology file and one that extends it. */
  topologyFiles: string[];
  /** Inputs that are not regular files or not readable: /dev/zero behind a link, a pipe, a directory, a 17 MiB trace, … */
  hostile: string[];
  /** A regular file, to be used where a directory is expected. */
  afile: string;
  /** Texts of valid topology files, to break. */
  topologyTexts: string[];
}

/** One token of a command line; `keep` ones (what bounds the work) are never dropped or replaced. */
interface Token {
  text: string;
  keep?: boolean;
}

export interface FuzzCase {
  argv: string[];
  /** Files to create in the case's directory first (relative paths). */
  files: { path: string; text: string }[];
  /** Bytes the disk takes before it is full, or null for a disk that never fills. */
  diskBudget: number | null;
}

interface Part {
  tokens: Token[];
  files: { path: string; text: string }[];
}

const part = (tokens: (string | Token)[], files: Part['files'] = []): Part => ({ tokens: tokens.map((t) => (typeof t === 'string' ? { text: t } : t)), files });
const concat = (...parts: Part[]): Part => ({ tokens: parts.flatMap((p) => p.tokens), files: parts.flatMap((p) => p.files) });
const optional = (p: fc.Arbitrary<Part>) => fc.option(p, { nil: part([]) });
const kept = (flag: string, value: string): Part => part([{ text: flag, keep: true }, { text: value, keep: true }]);

/** Odd option values: empty, signs, units, huge, non-ASCII digits, control characters, overlong. */
const oddNumber = fc.constantFrom('0', '-1', 'abc', '1.5', '', '99999999999999999999', '10000001', ' 2', '0x10', '1e3', '-0', '+1', '٣', '1_000');
const oddText = fc.oneof(
  fc.constantFrom('', ' ', '-', '--', '--=', ',', ',,', '\u001b[2J', '\u001b]0;title\u0007', 'a\u202eb', '../', '/', '.', '..', 'x'.repeat(5000), '--bogus', '--json', '--no-out', '--seed=-5', '-h'),
  fc.string({ maxLength: 12 }),
);

const topologyNames = fc.constantFrom('seed-small', 'mistaken', 'nope', 'sed', 'seed-small.yaml', './missing.yaml', 'x.txt', 'seed\u001b[2J');
/** Cheap to check with a schedule or two; the first three usually find something to write (a counterexample, a witness). */
const propertyNames = fc.oneof(
  { arbitrary: fc.constantFrom('one-to-one', 'health-blind-spot', 'flow-bound'), weight: 3 },
  { arbitrary: fc.constantFrom('queue-admission', 'keepalive-limits', 'conservation'), weight: 1 },
);
const oddProperty = fc.constantFrom('nope', 'one-to-one,one-to-one', 'one-to-one,', ',', 'one-to-one,,conservation', 'One-To-One', '\u001b[31mred', 'one-to-one@seed');
const smallNumber = (max: number) => fc.integer({ min: 1, max }).map(String);

/** A value: mostly a plausible one, sometimes an odd one. */
const sometimesOdd = (good: fc.Arbitrary<string>, odd: fc.Arbitrary<string>) => fc.oneof({ arbitrary: good, weight: 10 }, { arbitrary: odd, weight: 1 });

/** A topology argument: a shipped name, a file of the fixtures, or a broken file made for the case. */
function topologyArg(fx: Fixtures): fc.Arbitrary<Part> {
  const broken = fc
    .tuple(fc.constantFrom(...fx.topologyTexts), fc.array(fc.tuple(fc.nat(), fc.string({ unit: fc.constantFrom(...'[]{}:,-&*!|>\'"#\n\t ab01.'.split('')), maxLength: 6 }), fc.nat(4)), { minLength: 1, maxLength: 4 }))
    .map(([text, edits]) => {
      for (const [at, insert, cut] of edits) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + insert + text.slice(i + cut);
      }
      return part(['gen/broken.yaml'], [{ path: 'gen/broken.yaml', text }]);
    });
  const random = fc.jsonValue({ maxDepth: 4 }).map((v) => part(['gen/random.yaml'], [{ path: 'gen/random.yaml', text: stringify(v) ?? '' }]));
  const multi = fc.constant(part(['gen/multi.yaml'], [{ path: 'gen/multi.yaml', text: 'extends: seed-small\n---\nextends: mistaken\n' }]));
  return fc.oneof(
    { arbitrary: fc.constantFrom('seed-small', 'mistaken').map((n) => part([n])), weight: 8 },
    { arbitrary: topologyNames.map((n) => part([n])), weight: 2 },
    { arbitrary: fc.constantFrom(...fx.topologyFiles).map((f) => part([f])), weight: 4 },
    { arbitrary: fc.constantFrom(...fx.hostile).map((f) => part([f])), weight: 1 },
    { arbitrary: broken, weight: 2 },
    { arbitrary: random, weight: 1 },
    { arbitrary: multi, weight: 1 },
  );
}

/** A JSON document with one value replaced, somewhere, by an odd one. */
const oddJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, -1, 0, 1e9, 1e308, -1e308, 2 ** 53 + 2, 1.5, '', 'abc', '\u001b[2J', [], {}, [20, 1], 'x'.repeat(30_000)),
  fc.integer({ min: 0, max: 60 }).map((d) => {
    let v: unknown = 1;
    for (let i = 0; i < d; i++) v = [v];
    return v;
  }),
  fc.jsonValue({ maxDepth: 2 }),
);

function mutateJson(doc: unknown, pick: number, value: unknown, remove: boolean): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, at: (string | number)[]) => {
    paths.push(at);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(doc, []);
  const path = paths[pick % paths.length]!;
  if (path.length === 0) return value;
  let parent = doc as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && Array.isArray(parent)) parent.splice(last as number, 1);
  else if (remove) delete parent[last];
  else parent[last] = value;
  return doc;
}

/** A trace argument: a valid trace copied into the case, truncated, mutated, or a hostile file. */
function traceArg(fx: Fixtures): fc.Arbitrary<Part> {
  const text = fc.constantFrom(...fx.traceTexts);
  const file = (t: string) => part(['gen/run.trace.json'], [{ path: 'gen/run.trace.json', text: t }]);
  return fc.oneof(
    { arbitrary: text.map(file), weight: 8 },
    { arbitrary: fc.tuple(text, fc.double({ min: 0, max: 1, noNaN: true })).map(([t, at]) => file(t.slice(0, Math.floor(t.length * at)))), weight: 2 },
    {
      arbitrary: fc.tuple(text, fc.array(fc.tuple(fc.nat(), oddJsonValue, fc.boolean()), { minLength: 1, maxLength: 3 })).map(([t, edits]) => {
        let doc = JSON.parse(t) as unknown;
        for (const [pick, value, remove] of edits) doc = mutateJson(doc, pick, value, remove);
        return file(JSON.stringify(doc, null, 1) ?? '');
      }),
      weight: 3,
    },
    { arbitrary: fc.constantFrom(...fx.hostile, 'gen/missing.trace.json', '').map((f) => part([f])), weight: 1 },
  );
}

/** Where outputs go: a fresh directory, a nested one, or somewhere that cannot be written. */
function outArg(fx: Fixtures): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('out', 'nested/deeper/out', '.', 'out/'), weight: 10 },
    { arbitrary: fc.constantFrom(fx.afile, `${fx.afile}/sub`, '/proc/connmodel-fuzz', '/dev/null', '/sys/connmodel-fuzz', 'o\u001b[2J', 'x'.repeat(300)), weight: 1 },
  );
}

const outChoice = (fx: Fixtures) =>
  fc.oneof(
    { arbitrary: outArg(fx).map((o) => part(['--out', o])), weight: 4 },
    { arbitrary: fc.constant(part(['--no-out'])), weight: 2 },
    { arbitrary: fc.constant(part([])), weight: 1 },
  );

function checkCase(fx: Fixtures, command: 'check' | 'run'): fc.Arbitrary<Part> {
  const random = fc
    .tuple(
      optional(topologyArg(fx).map((t) => concat(part(['--topology']), t))),
      sometimesOdd(propertyNames, oddProperty).map((p) => kept('--property', p)),
      sometimesOdd(smallNumber(3), oddNumber).map((n) => kept('--runs', n)),
      optional(sometimesOdd(fc.integer({ min: -5, max: 5 }).map(String), oddNumber).map((n) => part([`--seed=${n}`]))),
      optional(sometimesOdd(smallNumber(2), fc.constantFrom('65', '0', 'x')).map((n) => part(['--clients', n]))),
      optional(sometimesOdd(smallNumber(3), fc.constantFrom('1001', '0', 'x')).map((n) => part(['--requests', n]))),
      optional(fc.constant(part(['--json']))),
      outChoice(fx),
    )
    .map((ps) => concat(part([command]), ...ps));
  if (command === 'run') return random;
  const exhaustive = fc
    .tuple(
      fc.constantFrom('mistaken', 'seed-small', 'nope').map((t) => part(['--topology', t])),
      sometimesOdd(fc.constantFrom('one-to-one', 'queue-admission', 'keepalive-limits'), fc.constantFrom('no-starvation', 'nope')).map((p) => kept('--property', p)),
      // Odd, but never a large valid budget: 10000001 states would search for minutes.
      sometimesOdd(fc.constantFrom('20', '50', '100'), fc.constantFrom('0', '-1', 'abc', '', '1.5', '99999999999999999999', '0x10')).map((n) => kept('--max-states', n)),
      optional(fc.constantFrom('--no-symmetry', '--all-facets', '--time=exact', '--time=hull', '--time=nope', '--depth=3', '--runs=2').map((f) => part([f]))),
      optional(fc.constant(part(['--json']))),
      outChoice(fx),
    )
    .map((ps) => concat(part(['check', '--exhaustive']), ...ps));
  return fc.oneof({ arbitrary: random, weight: 5 }, { arbitrary: exhaustive, weight: 1 });
}

const replayCase = (fx: Fixtures) =>
  fc
    .tuple(traceArg(fx), optional(topologyArg(fx).map((t) => concat(part(['--topology']), t))), optional(fc.constant(part(['--quiet']))))
    .map(([t, ...ps]) => concat(part(['replay']), t, ...ps));

const formatChoice = fc.oneof(
  fc.constant(part(['--no-render'])),
  fc.constantFrom('svg', 'png', 'svg,png', 'gif', 'svg,svg', '').map((f) => part(['--format', f])),
  fc.constant(part([])),
);

const diagramsTraceCase = (fx: Fixtures) =>
  fc
    .tuple(
      traceArg(fx),
      optional(fc.constantFrom('JMETER,APIGW,NLB', 'ALB', 'JMETER,JMETER', '').map((p) => part(['--participants', p]))),
      optional(fc.constantFrom('seed', 'tiers', 'other').map((n) => part(['--names', n]))),
      optional(sometimesOdd(smallNumber(3), oddNumber).map((n) => part(['--requests', n]))),
      optional(fc.constant(part(['--no-ids']))),
      optional(outArg(fx).map((o) => part(['--out', o]))),
      formatChoice,
    )
    .map(([t, ...ps]) => concat(part(['diagrams', '--trace']), t, ...ps));

/** The set of diagrams is costly to draw (seconds): here it always has one thing wrong, so only its checks run. */
const diagramsSetCase = (fx: Fixtures) =>
  fc
    .tuple(
      optional(fc.constantFrom('seed-small', 'nope').map((t) => part(['--topology', t]))),
      fc.constantFrom('nope', 'one-to-one@nope', 'one-to-one@', 'a@b@c', 'one-to-one,one-to-one').map((p) => kept('--property', p)),
      optional(outArg(fx).map((o) => part(['--out', o]))),
      formatChoice,
    )
    .map((ps) => concat(part(['diagrams']), ...ps));

const topologiesCase = (fx: Fixtures) =>
  fc.tuple(optional(topologyArg(fx)), optional(fc.constant(part(['--json'])))).map((ps) => concat(part(['topologies']), ...ps));

const initCase = (fx: Fixtures) =>
  fc
    .tuple(
      optional(fc.constantFrom('my.yaml', 'sub/dir/my.yaml', 'x.json', 'seed.yaml', '/proc/connmodel.yaml', `${fx.afile}/x.yaml`, 'gen/exists.yaml', 'dir.yaml').map((f) => part([f]))),
      optional(fc.constant(part(['--force']))),
    )
    .map((ps) => concat(part(['init'], [{ path: 'gen/exists.yaml', text: 'precious\n' }]), ...ps));

const matrixCase = (fx: Fixtures) =>
  fc
    .tuple(
      sometimesOdd(fc.constantFrom('seed-small', 'mistaken'), fc.constantFrom('seed-small,seed-small', 'nope', '', fx.topologyFiles[0]!)).map((t) => kept('--topologies', t)),
      sometimesOdd(fc.constantFrom('queue-admission', 'conservation', 'keepalive-limits', 'one-to-one'), oddProperty).map((p) => kept('--properties', p)),
      sometimesOdd(smallNumber(1), oddNumber).map((n) => kept('--runs', n)),
      optional(fc.constant(part(['--json']))),
      optional(outArg(fx).map((o) => part(['--out', o]))),
      optional(fc.constantFrom('m.md', 'sub/m.md', 'm.txt', '/proc/m.md', `${fx.afile}/m.md`, 'dir.md').map((d) => part(['--doc', d]))),
    )
    .map((ps) => concat(part(['matrix']), ...ps));

/**
 * Junk: odd tokens alone, or a command with odd tokens and an unknown option (a bare `check` or
 * `diagrams` would run the whole catalogue or draw the whole set: minutes, not a fuzz case).
 */
const garbageCase = fc.oneof(
  fc.array(oddText, { maxLength: 6 }).map((ts) => part(ts)),
  fc
    .tuple(fc.constantFrom('check', 'replay', 'diagrams', 'matrix', 'init', 'topologies', 'run', 'help'), fc.array(oddText, { maxLength: 4 }), fc.nat(4))
    .map(([c, ts, at]) => {
      const tokens: Token[] = [{ text: c }, ...ts.map((text) => ({ text }))];
      tokens.splice(1 + (at % (ts.length + 1)), 0, { text: '--no-such-option', keep: true });
      return { tokens, files: [] };
    }),
);

type Mutation = { op: 'dup' | 'drop' | 'replace' | 'insert'; at: number; token: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({ op: fc.constantFrom('dup', 'drop', 'replace', 'insert'), at: fc.nat(), token: oddText });

/** Applies a mutation, leaving `keep` tokens alone (dropping one could make a run unbounded). */
function mutate(tokens: Token[], m: Mutation): Token[] {
  const out = [...tokens];
  const free = out.map((t, i) => [t, i] as const).filter(([t, i]) => !t.keep && i > 0);
  if (m.op === 'insert') {
    // Never a new --exhaustive: without --max-states it searches for half a minute.
    if (!m.token.startsWith('--ex')) out.splice(1 + (m.at % out.length), 0, { text: m.token });
    return out;
  }
  if (free.length === 0) return out;
  const [token, i] = free[m.at % free.length]!;
  if (m.op === 'dup') out.splice(i, 0, { text: token.text });
  else if (m.op === 'drop') out.splice(i, 1);
  else out[i] = { text: m.token };
  return out;
}

/** A whole case: a command, 0 to 2 mutations, and now and then a disk that fills up. */
export function caseArbitrary(fx: Fixtures): fc.Arbitrary<FuzzCase> {
  const command = fc.oneof(
    { arbitrary: checkCase(fx, 'check'), weight: 6 },
    { arbitrary: checkCase(fx, 'run'), weight: 1 },
    { arbitrary: replayCase(fx), weight: 5 },
    { arbitrary: diagramsTraceCase(fx), weight: 4 },
    { arbitrary: diagramsSetCase(fx), weight: 1 },
    { arbitrary: topologiesCase(fx), weight: 2 },
    { arbitrary: initCase(fx), weight: 2 },
    { arbitrary: matrixCase(fx), weight: 2 },
    { arbitrary: garbageCase, weight: 1 },
  );
  return fc
    .tuple(
      command,
      fc.oneof({ arbitrary: fc.constant([]), weight: 5 }, { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 2 }), weight: 1 }),
      // A trace with its diagrams is 5 to 50 KB: a budget below that runs out in the middle of a run.
      fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.nat(30_000), weight: 1 }),
    )
    .map(([p, ms, diskBudget]) => ({ argv: ms.reduce(mutate, p.tokens).map((t) => t.text), files: p.files, diskBudget }));
}
