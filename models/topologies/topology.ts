import type { MachineKind, ParamsOf } from '../machines/index.js';

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
}
