import type { ScenarioEvent, SimulationScenario } from './scenario.js';

/**
 * The shipped scenarios: the seed's load with no trigger, one scenario per
 * trigger the operators suspected or lived through, and the recovery they
 * used. Every number is the seed's (1,300-4,000 requests/s, a throttle
 * under 200 requests/s, eased back up) or a stated assumption below; none
 * is tuned to make a chart look like the incident.
 */

const MIN = 60_000;

/** API Gateway's account-level throttle per Region (doc: API Gateway quotas). */
const AWS_ACCOUNT_THROTTLE = { tier: 'gateway', rate: 10_000, burst: 5_000, over: 0 };

/** The seed's load: a day between 1,300 and 4,000 requests/s, around the afternoon peak. */
const base: Omit<SimulationScenario, 'name' | 'description' | 'about' | 'events'> = {
  duration: 10 * MIN,
  clients: {
    // Assumption: enough keep-alive connections to carry the peak at the model's latencies (4,000/s x ~0.2 s = 800 in flight).
    count: 250,
    connections: 4,
    queue: 50,
    closeAfterResponse: false,
  },
  requests: {
    // Assumption: a REST API's usual mix, 4 GETs to 1 POST. Methods travel on the wire: only idempotent ones are retried.
    mix: [
      { method: 'GET', weight: 4 },
      { method: 'POST', weight: 1 },
    ],
    // Assumption: customers retry as SDK clients do (twice, after 100 ms), unlike JMeter (which does not retry).
    retries: { max: 2, backoff: 100 },
  },
  // Seed: peaks as high as 4,000 requests/s, troughs around 1,300. Assumption: the peak at 14:00; runs start at 13:30.
  arrivals: { kind: 'daily', trough: 1300, peak: 4000, peakAt: 14 * 60 * MIN, startAt: 13.5 * 60 * MIN },
  // No information beyond the topology's windows: uniform inside them.
  delays: { network: { kind: 'uniform' }, tiers: {} },
  // Doc: API Gateway quotas (docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): the account-level
  // throttle, 10,000 requests/s with a burst of 5,000, answered 429 above it. The seed's load stays under it.
  throttle: AWS_ACCOUNT_THROTTLE,
  topology: {},
};

const at = 3 * MIN;

function scenario(name: string, about: string, events: ScenarioEvent[], extra: Partial<SimulationScenario> = {}): SimulationScenario {
  return { ...base, name, description: about, about, events, ...extra };
}

export const steady = scenario('steady', "the seed's daily load around its 4,000 requests/s peak, with no trigger", []);

export const dbSlowdown = scenario(
  'db-slowdown',
  'the database answers slowly for 2 minutes (median 200 ms, p99 2 s) from minute 3; its response window is widened to allow it',
  [{ at, kind: 'databaseSlowdown', delay: { kind: 'lognormal', median: 200, p99: 2000 }, for: 2 * MIN }],
  // Normal queries stay as in steady (uniform over 1-20 ms), though the window now allows 5 s.
  { topology: { database: { responseTime: [1, 5000] } }, delays: { network: { kind: 'uniform' }, tiers: { database: { kind: 'uniform', min: 1, max: 20 } } } },
);

export const instanceRestart = scenario('instance-restart', "instance 1's processes restart at minute 3: every connection they hold is reset", [
  { at, kind: 'restart', instance: 1 },
]);

export const instanceReplace = scenario(
  'instance-replace',
  'instance 1 is replaced at minute 3: its connections vanish without FIN or RST; a fresh instance answers at its address',
  [{ at, kind: 'replace', instance: 1 }],
);

export const nginxReload = scenario('nginx-reload', 'NGINX on instance 1 reloads at minute 3: it closes its idle keep-alive connections at once', [
  { at, kind: 'reload', tier: 'nginx', instance: 1 },
]);

export const targetUnhealthy = scenario(
  'target-unhealthy',
  "the load balancer is told instance 1 is unhealthy for 2 minutes from minute 3 (as its health checks would): no new flows to it, client packets on its flows reset",
  [{ at, kind: 'unhealthy', instance: 1, for: 2 * MIN }],
);

export const throttleRecovery = scenario(
  'throttle-recovery',
  "instance 1 restarts at minute 3; at minute 4 API Gateway is throttled to 150 requests/s (the seed's 'sub-200'), held for 4 minutes, then eased back up to 4,000 over 10 minutes (in steps every 10 s)",
  [
    { at, kind: 'restart', instance: 1 },
    { at: 4 * MIN, kind: 'throttle', tier: 'gateway', rate: 150, burst: 150, over: 0 },
    // Assumption: how fast the operators eased back up is not in the seed; 10 minutes keeps the run affordable.
    { at: 8 * MIN, kind: 'throttle', tier: 'gateway', rate: 4000, burst: 4000, over: 10 * MIN },
  ],
  { duration: 16 * MIN },
);

export const scenarios: Readonly<Record<string, SimulationScenario>> = Object.fromEntries(
  [steady, dbSlowdown, instanceRestart, instanceReplace, nginxReload, targetUnhealthy, throttleRecovery].map((s) => [s.name, s]),
);

export const defaultScenario = 'steady';
