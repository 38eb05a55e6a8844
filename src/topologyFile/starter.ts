import { seed } from '../../models/topologies/index.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';
import { formatDuration } from '../../models/params/duration.js';
import { descriptorOf, type Provenance } from '../../models/machines/index.js';
import { unitOf, type ParamUnit } from '../../models/params/fields.js';
import { fileKindOf, paramShape, presets } from './schema.js';

/**
 * The commented starter file `connmodel init` writes: the seed pipeline with
 * every parameter spelled out, its unit and where its value comes from. The
 * values are the shipped `seed`'s (so the file always loads to the seed, a
 * test checks it); the comments are written here.
 */

/** What each tier is, one line above it. */
const tierTitles: Record<string, string> = {
  client: 'The load generator (JMeter): long-lived keep-alive connections, one request at a time.',
  cdn: 'CloudFront: terminates viewer connections, pools origin connections.',
  gateway: 'API Gateway: does NOT pin a client connection to one backend connection (the incident).',
  nlb: 'AWS NLB: pass-through, one flow per TCP connection, target fixed for its life.',
  connQueue: "The seed's Golang L4 connection queue, on each instance in front of NGINX.",
  nginx: 'NGINX on each instance.',
  app: 'The Node.js app: an HTTP server whose upstream is its Sequelize database pool.',
  database: 'RDS MySQL.',
};

/** Comments on parameters, by `tier.field`, then by field. Sources: (seed) the incident report, (doc) vendor documentation. */
const comments: Record<string, string> = {
  'client.timeout': 'give up on a request after this long; null: wait forever (JMeter default)',
  'cdn.upstreamPolicy': 'reuse an idle origin connection, else open one (doc)',
  'cdn.upstreamIdleTimeout': 'origin keep-alive timeout (doc)',
  'cdn.requestTimeout': 'origin response timeout (doc)',
  'gateway.upstreamPolicy': 'independent workers, each with its own pool: how it pools is undocumented, a parameter',
  'gateway.workers': 'a large fleet: more workers than the queue limit, so one client connection can reach every slot',
  'gateway.spread': "the schedule's default puts each request on the next worker, as a large fleet does",
  'gateway.requestTimeout': 'integration timeout; the client gets a 504 (doc)',
  'nlb.idleTimeout': 'TCP idle timeout: the flow is dropped silently, the next sender gets a reset (doc)',
  'connQueue.limit': 'active connections; the rest are accepted, parked FIFO, never read (seed)',
  'nginx.upstreamPolicy': 'no `keepalive` in the upstream block: HTTP/1.0, a new connection per request (doc)',
  'nginx.downstreamIdleTimeout': 'keepalive_timeout (seed)',
  'nginx.downstreamMaxRequests': 'keepalive_requests: the default before NGINX 1.19.10; 1000 since (seed)',
  'app.upstreamPolicy': 'the Sequelize pool: reuse an idle database connection, else open one',
  'app.maxUpstream': 'pool max (Sequelize default)',
  'app.acquireTimeout': 'pool acquire timeout: a query waiting for a connection fails (Sequelize default)',
  'app.upstreamIdleTimeout': 'pool idle timeout (Sequelize default)',
  'app.downstreamIdleTimeout': 'server.keepAliveTimeout (Node.js default)',
  'database.responseTime': 'query time, [min, max]',
  'database.idleTimeout': 'wait_timeout (8h) is beyond any modelled horizon: null',
  perInstance: 'one copy on each instance (true) or one shared (false)',
  participant: 'its name in sequence diagrams',
  about: 'one line on what it does to connections and where its numbers come from',
  upstreamPolicy: 'pinned | pooled | fleet | perRequest',
  workers: 'fleet only: independent workers, each with its own pool',
  maxUpstream: 'most upstream connections per worker; further requests wait. null: unbounded',
  acquireTimeout: 'a request waiting for an upstream connection fails with 503 after this. null: never',
  upstreamIdleTimeout: 'close a pooled upstream connection idle this long. null: never',
  downstreamIdleTimeout: 'close a client-side connection idle this long. null: never',
  downstreamMaxRequests: 'requests per client-side connection, then Connection: close. null: no limit',
  requestTimeout: 'answer timeoutStatus when the upstream is this late. null: wait forever',
  timeoutStatus: 'HTTP status of a timed-out request',
  closeAfterResponse: 'true: a new connection per request (HTTP/1.0-style client)',
};

const q = (s: string) => JSON.stringify(s);

function value(unit: ParamUnit | undefined, v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number' && unit === 'duration') return formatDuration(v);
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'number' && unit === 'window' ? formatDuration(x) : String(x))).join(', ')}]`;
  if (typeof v === 'string') return /^[A-Za-z][A-Za-z0-9_-]*$/.test(v) ? v : q(v);
  return String(v);
}

function line(field: string, v: string, comment: string | undefined, indent = '    '): string {
  const text = `${indent}${field}: ${v}`;
  return comment ? `${text.padEnd(40)} # ${comment}` : text;
}

function tierBlock(t: TierSpec): string[] {
  const kind = fileKindOf(t.kind);
  // Starting from the product's preset keeps each restated default's source (doc, seed, assumption).
  const preset = presets.get(t.name)?.kind === t.kind ? t.name : null;
  const out = [`  # ${tierTitles[t.name] ?? t.name}`, `  - name: ${t.name}`, preset ? line('preset', preset, 'every parameter below restates it') : line('kind', kind, undefined)];
  if (descriptorOf(t.kind).role !== 'client') out.push(line('perInstance', String(t.perInstance), comments.perInstance));
  out.push(line('participant', t.participant, comments.participant));
  const params = t.params as unknown as Record<string, unknown>;
  for (const [key, schema] of Object.entries(paramShape(kind))) {
    if (params[key] === undefined) {
      if (key === 'closeAfterResponse') out.push(line('closeAfterResponse', 'true', comments.closeAfterResponse, '    # '));
      continue;
    }
    const source = t.sources?.[key as never] as Provenance | undefined;
    if (source && source.source !== 'choice') out.push(`    # ${source.source}: ${source.ref}`);
    out.push(line(key, value(unitOf(schema), params[key]), comments[`${t.name}.${key}`] ?? comments[key]));
  }
  const about = (t as { about?: string }).about;
  if (about) out.push(`    about: ${q(about)}`);
  return out;
}

/**
 * The starter file's text, for a topology called `name` in `file`, with
 * `schemaRef` the path (or URL) of the JSON Schema relative to the file.
 */
export function starterYaml(name: string, schemaRef: string, file = `${name}.yaml`, base: Topology = seed): string {
  const hc = base.healthCheck;
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    '#',
    '# A connmodel topology: your pipeline, tier by tier, in the order a request',
    '# crosses it. This starter is the reference incident (the shipped `seed`):',
    '#   client -> CloudFront -> API Gateway -> NLB -> on each instance',
    '#   (connection queue -> NGINX -> Node.js) -> MySQL',
    '# Edit it to match your pipeline, then check it:',
    `#   connmodel check --topology ${file}`,
    '#',
    '# Durations: 75s, 350s, 29000ms, 5m, 8h (a plain number is milliseconds).',
    '# null means none (no timeout, no limit). Sources: (seed) the incident',
    "# report, (doc) the vendor's documented default.",
    '#',
    '# Kinds: client (first), proxy (L7 proxy or gateway), loadBalancer (L4,',
    '# pass-through), limiter (L4 connection limiter), server (last). A tier can',
    '# start from a preset and override a few fields instead:',
    '#   - preset: nginx      # or client, cdn, gateway, nlb, connQueue, app, database',
    '#     downstreamIdleTimeout: 60s',
    '# A file can also start from a shipped topology and override tiers by name:',
    '#   extends: seed',
    '#   tiers:',
    '#     nginx: { downstreamIdleTimeout: 60s }',
    '# `connmodel topologies` lists the shipped ones. The format: docs/topology-files.md',
    'version: 1',
    `name: ${name}`,
    `description: ${q(`my pipeline (from the connmodel starter: ${base.description})`)}`,
    '',
    line('instances', String(base.instances), 'instances (targets) behind the load balancer', ''),
    line('instanceParticipant', base.instanceParticipant, "an instance's name in sequence diagrams", ''),
    line('latency', value('window', base.latency), 'one-way network latency per hop, [min, max]', ''),
    'bounds:                                  # default bounds of small checks (check --clients/--requests override)',
    line('clients', String(base.bounds.clients), 'client connections', '  '),
    line('requests', String(base.bounds.requests), 'requests per client connection', '  '),
  ];
  if (base.flowBound !== undefined) lines.push(line('flowBound', String(base.flowBound), 'most connections one client connection may cause per boundary and instance', ''));
  if (hc)
    lines.push(
      '',
      'healthCheck:                             # the alive-check on port 8080, straight into NGINX, bypassing the queue (seed); null: none',
      line('entersAt', hc.entersAt, 'the tier it enters directly', '  '),
      line('name', hc.name, 'its name in traces', '  '),
      line('participant', hc.participant, 'its name in sequence diagrams', '  '),
      line('interval', formatDuration(hc.interval), 'NLB target group HealthCheckIntervalSeconds, default 30 (doc)', '  '),
      line('timeout', formatDuration(hc.timeout), 'NLB HTTP HealthCheckTimeoutSeconds, default 6 (doc)', '  '),
      line('healthyThreshold', String(hc.healthyThreshold), 'HealthyThresholdCount, default 5 (doc)', '  '),
      line('unhealthyThreshold', String(hc.unhealthyThreshold), 'UnhealthyThresholdCount, default 2 (doc): then no new flows to it', '  '),
      line('checks', String(hc.checks), 'checks per checker in a run (an exploration bound)', '  '),
    );
  lines.push('', 'tiers:');
  base.tiers.forEach((t, i) => {
    if (i > 0) lines.push('');
    lines.push(...tierBlock(t));
  });
  return `${lines.join('\n')}\n`;
}
