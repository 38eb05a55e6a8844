import type { MachineKind, ParamsOf, Provenance } from '../machines/index.js';

/** One tier of a pipeline: which machine runs it, with which parameters. */
export type TierSpec = {
  [K in MachineKind]: {
    /** The tier's name in traces and connection ids (`gateway`, `connQueue`). */
    name: string;
    kind: K;
    /** One copy per instance behind the load balancer (connQueue, nginx, app), or one shared. */
    perInstance: boolean;
    /** How sequence diagrams name it (the seed's names: JMETER, APIGW, NLB, ConnCtrl, NGINX). */
    participant: string;
    params: ParamsOf[K];
    /** Where each parameter's value comes from (from the tier's preset, or its override); a parameter absent here has its machine kind's default provenance. */
    sources?: { readonly [P in keyof ParamsOf[K]]?: Provenance };
  };
}[MachineKind];

export interface Topology {
  name: string;
  description: string;
  /** Tiers in pipeline order; the first is the client. */
  tiers: TierSpec[];
  /** Instances (targets) behind the load balancer. */
  instances: number;
  /** What diagrams call an instance's entry point (the seed's EC2). */
  instanceParticipant: string;
  /** One-way network latency per hop, [min, max] ms. */
  latency: readonly [number, number];
  /** Default bounds of small checks: client connections and requests per client. */
  bounds: { clients: number; requests: number };
  /**
   * A health checker per instance (one shared when it enters a shared tier)
   * that bypasses the tiers before `entersAt`: the seed's port-8080 check
   * straight into NGINX. Absent: no health checks are modelled.
   */
  healthCheck?: HealthCheck;
  /**
   * flow-bound: the most connections one client connection may produce at a
   * boundary on one instance. Default: the smallest connection limit of the
   * topology's connection queue (one client connection must not fill an
   * instance's queue by itself); no bound when it has no connection queue.
   */
  flowBound?: number;
  /** For a mitigation: the configuration change it makes to its base, and what it is expected to repair. */
  mitigation?: Mitigation;
}

/** A health checker: a client machine whose first hop is `entersAt` (per instance if that tier is). */
export interface HealthCheck {
  /** The tier the check enters directly (`nginx`: port 8080; `connQueue`: the traffic port). */
  entersAt: string;
  /** Tier name of the checker in ids and traces (`health`: `health.1`, `health>nginx#2`, requests `h1.1`). */
  name: string;
  /** How diagrams name it. */
  participant: string;
  /** Time between checks (ms); the first check is one interval after the checker starts. */
  interval: number;
  /** A check not answered within this fails (ms); also how long health-blind-spot lets a request wait before it counts as starving. */
  timeout: number;
  /** Checks per checker in a run (an exploration bound, like `bounds.requests`). */
  checks: number;
  /** Successes in a row that make an unhealthy target healthy again. */
  healthyThreshold: number;
  /** Failures in a row that make a healthy target unhealthy. */
  unhealthyThreshold: number;
  /** The load balancer whose target health the checks decide (default: the one in front of the per-instance tiers; null: none). */
  reportsTo?: string | null;
}

/** What a mitigation topology changes, in one line, and which properties it is meant to repair. */
export interface Mitigation {
  /** The topology it modifies. */
  base: string;
  /** The configuration change, as an operator would make it. */
  change: string;
}
