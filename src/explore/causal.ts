import type { SystemModel } from '../../models/system.js';
import { enabledOccurrences, type Occurrence } from '../kernel/occurrences.js';
import { initialState, type SystemState } from '../kernel/state.js';
import { DEFAULT_CHOICE, step, type Choice, type StepResult } from '../kernel/step.js';

/**
 * The causal core of a run: only the steps the last one depends on (it read
 * a message they sent, or its tier's machine reacted to them before), in
 * their order and at their times. Everything else (a health check beside the
 * pipeline, a FIN nobody waits for) is put off until after it. In an
 * asynchronous system the core is a run of its own, usually the shortest to
 * the same last step; whether it still violates, the caller checks by
 * running it.
 */

/** Names occurrences by what they are, so that a step is recognised in a run with other steps left out. */
class OccurrenceNames {
  private readonly messages = new Map<number, string>();
  private readonly sent = new Map<string, number>();
  private readonly fired = new Map<string, number>();

  nameOf(o: Occurrence): string {
    if (o.kind === 'deliver') return this.messages.get(o.msg.seq) ?? `message ${o.msg.seq}`;
    const k = o.kind === 'timer' ? `timer ${o.at} ${o.key}` : `act ${o.at}`;
    return `${k} #${this.fired.get(k) ?? 0}`;
  }

  /** Records a step: the names of the messages it sent (the n-th on its channel), and the occurrence it used up. */
  took(before: SystemState, r: StepResult): string[] {
    const o = r.occurrence;
    if (o.kind !== 'deliver') {
      const k = o.kind === 'timer' ? `timer ${o.at} ${o.key}` : `act ${o.at}`;
      this.fired.set(k, (this.fired.get(k) ?? 0) + 1);
    }
    const produced: string[] = [];
    for (const p of r.state.pending) {
      if (p.seq <= before.seq) continue;
      const channel = `${p.conn} ${p.from}>${p.to}`;
      const n = this.sent.get(channel) ?? 0;
      this.sent.set(channel, n + 1);
      const name = `${channel} #${n}`;
      this.messages.set(p.seq, name);
      produced.push(name);
    }
    return produced;
  }
}

interface StepRecord {
  name: string;
  at: string;
  /** Whether the instance's machine reacted (a FIN to an end already closed is dropped by the kernel). */
  reacted: boolean;
  produced: string[];
  choice: Choice;
  t: number;
}

function record(model: SystemModel, schedule: readonly Choice[], steps: number): StepRecord[] {
  const names = new OccurrenceNames();
  let state = initialState(model);
  const out: StepRecord[] = [];
  for (let i = 0; i < steps; i++) {
    const enabled = enabledOccurrences(model, state);
    if (enabled.length === 0) break;
    const r = step(model, state, schedule[i] ?? DEFAULT_CHOICE, enabled)!;
    const name = names.nameOf(r.occurrence);
    const produced = names.took(state, r);
    out.push({ name, at: r.occurrence.at, reacted: r.transitions.some((x) => x.instance === r.occurrence.at), produced, choice: r.choice, t: r.state.clock });
    state = r.state;
  }
  return out;
}

/**
 * The choices of the causal core of the first `steps` steps of `schedule`,
 * as they take effect; null when the core cannot be replayed (an occurrence
 * it needs is not enabled without the steps left out) or is the whole run.
 */
export function causalCore(model: SystemModel, schedule: readonly Choice[], steps: number): Choice[] | null {
  const run = record(model, schedule, steps);
  if (run.length < steps) return null;
  // Backwards from the last step: keep a step that sent a message a kept step read, or that a kept
  // step's tier reacted to before it.
  const keep = new Set<number>([run.length - 1]);
  const tiers = new Set<string>([run[run.length - 1]!.at]);
  const needed = new Set<string>([run[run.length - 1]!.name]);
  for (let j = run.length - 2; j >= 0; j--) {
    const s = run[j]!;
    if ((s.reacted && tiers.has(s.at)) || s.produced.some((m) => needed.has(m))) {
      keep.add(j);
      tiers.add(s.at);
      needed.add(s.name);
    }
  }
  if (keep.size === run.length) return null;
  const names = new OccurrenceNames();
  let state = initialState(model);
  const choices: Choice[] = [];
  for (let j = 0; j < run.length; j++) {
    if (!keep.has(j)) continue;
    const s = run[j]!;
    const enabled = enabledOccurrences(model, state);
    const next = enabled.findIndex((o) => names.nameOf(o) === s.name);
    if (next < 0) return null;
    // At the time it happened, if the step's window allows it.
    const r = step(model, state, { next, delay: Math.max(0, s.t - enabled[next]!.earliest), pick: s.choice.pick }, enabled)!;
    names.took(state, r);
    choices.push(r.choice);
    state = r.state;
  }
  return choices;
}
