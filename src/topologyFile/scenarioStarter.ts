/**
 * The commented starter scenario `connmodel init --scenario` writes: the
 * shipped `steady` scenario with every field explained, plus commented-out
 * examples of each timed event. It must load as is (the command checks).
 */
export function scenarioStarterYaml(name: string): string {
  return `# A connmodel simulation scenario: the load a topology is put under, and what happens over time.
# Run it:   connmodel simulate --scenario ${name}.yaml [--topology seed] [--duration 10m] [--seed 1]
# Format:   docs/simulation.md. Durations: 250ms, 30s, 5m, 1h (a plain number is ms).
# Every field is optional; a field left out takes the value of the shipped scenario 'steady'.
name: ${name}
description: the seed's daily load around its peak, with no trigger
duration: 10m                  # run length when --duration is not given

clients:
  count: 250                   # customer clients
  connections: 4               # keep-alive connections each (its connection pool)
  queue: 50                    # requests a client holds while all its connections are busy; more fail at once at the client
  closeAfterResponse: false    # connection churn: true closes every connection after its answer (HTTP/1.0-style clients)
  # timeout: 30s               # client timeout (default: the topology's client tier: none)

requests:
  mix:                         # the methods of the requests, on the wire: only idempotent ones (GET, HEAD, PUT, DELETE, OPTIONS) are retried
    - { method: GET, weight: 4 }   # whole weights; each client connection cycles through them (here GET GET POST GET GET)
    - { method: POST, weight: 1 }
  retries: { max: 2, backoff: 100ms }   # the client machine's retries: after a lost connection, a timeout or a 502/503/504

arrivals:                      # one of: rate (constant), daily, steps
  daily: { trough: 1300, peak: 4000, peakAt: 14h, startAt: 13.5h }   # a day as a cosine; the run starts at startAt
  # rate: 4000                 # requests per second, constant
  # steps:                     # steps and ramps
  #   - { at: 0s, rate: 1300 }
  #   - { at: 5m, rate: 4000, ramp: 2m }   # reach 4,000/s linearly over 2 minutes from 5m

delays:                        # drawn inside the topology's windows (latency per hop; a server's responseTime)
  network: uniform             # or { uniform: [1ms, 5ms] }, { lognormal: { median: 3ms, p99: 15ms } } or { fixed: 5ms }
  tiers: {}                    # per sending tier, e.g. database: { lognormal: { median: 4ms, p99: 18ms } }

throttle: { rate: 10000, burst: 5000 }   # API Gateway's throttle at the start (its account-level default), 429 above it; null: none
                               # (the gateway machine's own token bucket; tier: gateway unless you add tier: NAME)

events: []                     # timed events, for example:
  # - { at: 3m, databaseSlowdown: { median: 200ms, p99: 2s, for: 2m } }   # needs a wider database window (topology below)
  # - { at: 3m, restart: 1 }                             # instance 1's processes restart: its connections are reset
  # - { at: 3m, replace: 1 }                             # instance 1 is replaced: its connections vanish silently
  # - { at: 3m, reload: { tier: nginx, instance: 1 } }   # NGINX reload: idle keep-alive connections closed at once
  # - { at: 3m, unhealthy: { instance: 1, for: 2m } }    # the load balancer is told instance 1 is unhealthy (as its health checks would)
  # - { at: 5m, throttle: { rate: 150, burst: 150 } }    # throttle to 150 requests/s
  # - { at: 10m, throttle: { rate: 4000, burst: 4000, over: 30m } }   # ease back up over 30 minutes, in steps every 10 s
  # - { at: 50m, throttle: off }

topology: {}                   # parameter overrides of the topology's tiers, e.g. database: { responseTime: [1ms, 5s] }
`;
}
