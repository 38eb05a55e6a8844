/**
 * The names the model gives things, in one place: instance ids (`gateway`,
 * `connQueue.2`, `client.1`), connection ids (`gateway>nlb#3`) and request
 * ids (`r1.2`: client 1's second request; health checks use `h`). Every
 * layer that reads an id parses it here.
 */

/** The id of copy `copy` of a tier: `connQueue.2`; copy 0 is a shared tier's only copy (`gateway`). */
export function instanceId(tier: string, copy: number): string {
  return copy === 0 ? tier : `${tier}.${copy}`;
}

/** The tier name of an instance id (`connQueue.2` -> `connQueue`). */
export function tierOf(instance: string): string {
  const dot = instance.indexOf('.');
  return dot < 0 ? instance : instance.slice(0, dot);
}

/** The copy number of an instance id (`nginx.2` -> 2), 0 for a shared tier (`gateway`). */
export function copyOf(instance: string): number {
  const dot = instance.indexOf('.');
  if (dot < 0) return 0;
  const n = Number(instance.slice(dot + 1));
  return Number.isInteger(n) ? n : 0;
}

/** The boundary between two tiers: `gateway>nlb`. */
export function boundaryName(from: string, to: string): string {
  return `${from}>${to}`;
}

/** The `n`th connection opened across `boundary`: `gateway>nlb#3`. */
export function connectionId(boundary: string, n: number): string {
  return `${boundary}#${n}`;
}

/** The boundary of a connection id (`gateway>nlb#3` -> `gateway>nlb`), or null when it is not one. */
export function boundaryOfConnection(conn: string): string | null {
  const hash = conn.indexOf('#');
  return hash > 0 && conn.includes('>') ? conn.slice(0, hash) : null;
}

/** The `n`th request of copy `copy` of a requester whose ids start with `prefix`: `r1.2`, `h2.1`. */
export function requestId(prefix: string, copy: number, n: number): string {
  return `${prefix}${copy}.${n}`;
}

const REQUEST = /^([a-z]+)(\d+)\.(\d+)$/;

/** The parts of a request id, or null when it is not one. */
export function parseRequestId(req: string): { prefix: string; copy: number; n: number } | null {
  const m = REQUEST.exec(req);
  return m ? { prefix: m[1]!, copy: Number(m[2]), n: Number(m[3]) } : null;
}
