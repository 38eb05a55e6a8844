import { InputError } from '../../models/inputError.js';
import type { SystemModel } from '../../models/system.js';
import type { TraceEvent } from '../kernel/events.js';
import { enabledOccurrences, type Occurrence } from '../kernel/occurrences.js';
import type { Pending, SystemState } from '../kernel/state.js';
import { step, type Choice, type StepResult } from '../kernel/step.js';
import type { SimStore } from './simStore.js';

/**
 * A window of a run, as `check` would have run it: the state when the
 * window opens, the schedule of choices that reproduces every occurrence of
 * the window from that state, and the events. `connmodel replay` re-executes
 * it through `check`'s kernel (immutable states, `step()` with these
 * choices) and compares byte for byte.
 */
export interface TraceWindow {
  start: SystemState;
  schedule: Choice[];
  events: TraceEvent[];
  /** The step of the last occurrence in the window. */
  lastStep: number;
  from: number;
  to: number;
}

/** How long before a window the simulation starts remembering which client connection sent each request. */
const ORIGINS_BEFORE = 10 * 60_000;

/**
 * Records a window while the simulation runs: at its first occurrence it
 * takes the store's state; then, for each occurrence, it finds the same
 * occurrence among the ones `check` would enable (enabledOccurrences), takes
 * it with `step()` as a choice {next, delay, pick}, and insists that the
 * kernel's events equal the simulation's. A simulation that ever took
 * something `check` would not allow fails here, loudly.
 */
export class WindowRecorder {
  private state: SystemState | null = null;
  private start: SystemState | null = null;
  private readonly schedule: Choice[] = [];
  private readonly events: TraceEvent[] = [];
  private pendingStep: StepResult | null = null;
  private open = false;
  private closed = false;

  constructor(
    private readonly model: SystemModel,
    private readonly store: SimStore,
    private readonly from: number,
    private readonly to: number,
    readonly seed: number,
  ) {}

  /** Called before each queued item at time `t`: opens or closes the window. */
  before(t: number) {
    // Requests' first connections appear in trace events (origin): keep them from a while before the window on.
    if (!this.open && !this.closed && this.store.origins === null && t >= this.from - ORIGINS_BEFORE) this.store.origins = new Map();
    if (!this.open && !this.closed && t >= this.from && t <= this.to) {
      this.state = this.store.snapshot();
      this.start = this.state;
      this.store.tracing = true;
      this.open = true;
    } else if (this.open && t > this.to) {
      this.store.tracing = false;
      this.open = false;
      this.closed = true;
      this.store.origins = null; // nothing needs them any more
    }
  }

  get active(): boolean {
    return this.open;
  }

  deliver(p: Pending, pick: number) {
    if (this.open) this.take((o) => o.kind === 'deliver' && o.msg.seq === p.seq, pick, `deliver ${p.wire.kind} seq ${p.seq} on ${p.conn}`);
  }
  timer(instance: string, key: string) {
    if (this.open) this.take((o) => o.kind === 'timer' && o.at === instance && o.key === key, 0, `timer ${key} of ${instance}`);
  }
  act(instance: string) {
    if (this.open) this.take((o) => o.kind === 'act' && o.at === instance, 0, `${instance} acts`);
  }

  private take(match: (o: Occurrence) => boolean, pick: number, what: string) {
    const enabled = enabledOccurrences(this.model, this.state!);
    const next = enabled.findIndex(match);
    const t = this.store.clock;
    if (next < 0) throw new Error(`simulation took an occurrence check would not enable at ${t} ms: ${what}`);
    const o = enabled[next]!;
    const choice: Choice = { next, delay: t - o.earliest, pick };
    if (choice.delay < 0) throw new Error(`simulation took ${what} at ${t} ms, before its window opens at ${o.earliest} ms`);
    this.pendingStep = step(this.model, this.state!, choice, enabled);
    if (this.pendingStep!.state.clock !== t) throw new Error(`simulation took ${what} at ${t} ms, past another occurrence's deadline`);
    this.schedule.push(choice);
    this.store.events = [];
  }

  /** Called after each occurrence: the kernel's events and the simulation's must be the same. */
  after() {
    if (!this.open || !this.pendingStep) return;
    const mine = JSON.stringify(this.store.events);
    const kernel = JSON.stringify(this.pendingStep.events);
    if (mine !== kernel) throw new Error(`simulation and kernel differ at step ${this.store.steps}:\n  simulation: ${mine}\n  kernel:     ${kernel}`);
    this.events.push(...this.pendingStep.events);
    this.state = this.pendingStep.state;
    this.pendingStep = null;
  }

  /** The window, or null when the run never reached it. */
  finish(): TraceWindow | null {
    this.store.tracing = false;
    if (!this.start) return null;
    return { start: this.start, schedule: this.schedule, events: this.events, lastStep: this.state!.steps, from: this.from, to: this.to };
  }
}

/** A window [from, to] that contains a happening the kernel has no occurrence for (happenings.ts) cannot be replayed: said before the run. */
export function checkWindow(from: number, to: number, outside: readonly { at: number; kind: string }[]): void {
  if (!(from <= to)) throw new InputError(`--trace-window: the start must not be after the end`);
  const inside = outside.filter((e) => e.at >= from && e.at <= to);
  if (inside.length > 0)
    throw new InputError(
      `--trace-window ${from}ms..${to}ms contains the scenario's ${inside.map((e) => `${e.kind} at ${e.at}ms`).join(', ')}: check's kernel has no occurrence for it, so the window could not replay; choose a window before or after it`,
    );
}
