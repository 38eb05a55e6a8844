import { mistaken, seed } from '../../models/topologies/index.js';
import { DEFAULT_CHOICE } from '../kernel/step.js';
import type { TraceFile } from '../trace/file.js';
import { allAnswered, scriptedTrace } from './scriptedRun.js';
import type { SequenceOptions } from './sequence.js';

/** The six participants the seed's own diagrams draw (CloudFront, NODE and RDS left out). */
export const SEED_PARTICIPANTS: readonly string[] = ['JMETER', 'APIGW', 'NLB', 'EC2', 'ConnCtrl', 'NGINX'];

/** The seed draws three requests on one long-lived client connection. */
const CLIENTS = 1;
const REQUESTS = 3;
const MAX_STEPS = 1000;

/** A diagram drawn from a trace: the name its files get, and how to draw it. */
export interface TraceDiagramSpec {
  name: string;
  /** One line for the gallery: what the diagram shows. */
  caption: string;
  trace: TraceFile;
  options: SequenceOptions;
}

/** The team's belief, run: the `mistaken` topology, the obvious schedule, three requests. */
export function mistakenTrace(): TraceFile {
  return scriptedTrace(mistaken, {
    clients: CLIENTS,
    requests: REQUESTS,
    choose: () => DEFAULT_CHOICE,
    done: allAnswered(mistaken, CLIENTS, REQUESTS),
    maxSteps: MAX_STEPS,
  });
}

/**
 * What the seed drew as the actual behaviour: the `seed` topology, where each
 * request reaches API Gateway on a worker that has no idle backend connection,
 * so each opens a new one. Which worker takes a request is the `pick` of the
 * step that delivers it to the gateway: we take the smallest pick whose step
 * opens a gateway connection (asking the kernel, so this holds however the
 * fleet maps picks to workers). Everything else is the obvious schedule (the
 * NLB sends every flow to instance 1, as the seed's single EC2 lifeline shows).
 */
export function actualTrace(): TraceFile {
  const gateway = seed.tiers.find((t) => t.participant === 'APIGW')!.name;
  return scriptedTrace(seed, {
    clients: CLIENTS,
    requests: REQUESTS,
    choose(enabled, _events, peek) {
      const next = enabled[0]!;
      if (next.kind !== 'deliver' || next.at !== gateway || next.msg.wire.kind !== 'request') return DEFAULT_CHOICE;
      for (let pick = 0; pick < next.branches; pick++) {
        const choice = { ...DEFAULT_CHOICE, pick };
        if (peek(choice).some((e) => e.type === 'connect' && e.at === gateway)) return choice;
      }
      throw new Error(`no worker of ${gateway} opens a new connection for ${next.msg.wire.req}: the seed's actual diagram cannot be drawn`);
    },
    done: allAnswered(seed, CLIENTS, REQUESTS),
    maxSteps: MAX_STEPS,
  });
}

/** The seed's two diagrams, regenerated, and the actual run drawn across every tier. */
export function seedDiagramSpecs(): TraceDiagramSpec[] {
  const actual = actualTrace();
  return [
    {
      name: 'mistaken',
      caption: "The team's belief (the seed's first diagram), run on the `mistaken` topology: one TCP connection at every hop.",
      trace: mistakenTrace(),
      options: {
        title: 'Mistaken belief: 1 client TCP connection is 1 TCP connection at every tier (topology mistaken)',
        participants: SEED_PARTICIPANTS,
        instanceBox: 'You think the same TCP conn gets used',
      },
    },
    {
      name: 'actual',
      caption: 'The actual behaviour (the seed\'s second diagram), run on the `seed` topology: API Gateway opens a new backend connection for each request.',
      trace: actual,
      options: {
        title: 'Actual behaviour: API Gateway opens a new backend connection per request (topology seed)',
        participants: SEED_PARTICIPANTS,
        instanceBox: null,
      },
    },
    {
      name: 'actual-all-tiers',
      caption: 'The same run across every tier, with connection ids: CloudFront pools, NGINX opens a connection to Node.js per request.',
      trace: actual,
      options: {
        title: 'Actual behaviour across every tier, with connection ids (topology seed)',
        ids: true,
      },
    },
  ];
}
