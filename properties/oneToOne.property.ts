import { describe, expect, it } from 'vitest';
import { mistaken, seed } from '../models/topologies/index.js';
import { check } from '../src/explore/check.js';
import { replayTrace } from '../src/trace/replay.js';
import { counterexampleTrace } from '../src/trace/counterexample.js';
import { oneToOne } from './oneToOne.js';

// Pinned seeds: every suite explores the same schedules on every machine.
const SEED = 42;

describe('one-to-one on seed (the real pipeline)', () => {
  const result = check(seed, oneToOne, { runs: 300, seed: SEED });

  it('is violated, with a counterexample of 1 client connection and 2 requests', () => {
    expect(result.verdict, `seed ${SEED}`).toBe('violated');
    const cx = result.counterexample!;
    expect(cx.clientConnections).toBe(1);
    expect(cx.requests).toBe(2);
  });

  it('breaks first where API Gateway fans out: gateway>nlb', () => {
    expect(result.counterexample!.facet).toBe('gateway>nlb');
    expect(result.counterexample!.message).toMatch(/rode 2 connections at gateway>nlb/);
  });

  it('reports a verdict for every tier boundary', () => {
    const byBoundary = Object.fromEntries(result.facets.map((f) => [f.facet, f.verdict]));
    expect(byBoundary).toEqual({
      'client>cdn': 'holds', // a client connection is its own first hop
      'cdn>gateway': 'violated', // CloudFront closes an idle origin connection after 5 s, so the next request opens another
      'gateway>nlb': 'violated',
      'nlb>connQueue': 'violated', // pass-through: the same flows as gateway>nlb
      'connQueue>nginx': 'violated', // proxied 1:1, so it inherits the fan-out
      'nginx>app': 'violated', // HTTP/1.0 upstream: a new connection per request
      'app>database': 'violated', // the pool hands requests whatever connection is idle
    });
    const cdn = result.facets.find((f) => f.facet === 'cdn>gateway')!.counterexample!;
    expect([cdn.clientConnections, cdn.requests]).toEqual([1, 2]);
    expect(cdn.events.some((e) => e.type === 'idle-close' && e.at === 'cdn')).toBe(true);
  });

  it('ends the counterexample at the violating step, and replays it exactly', () => {
    const cx = result.counterexample!;
    expect(cx.events.at(-1)!.step).toBe(cx.steps);
    const replay = replayTrace(counterexampleTrace(seed, oneToOne, cx, { maxSteps: 400, seed: SEED }), seed, oneToOne);
    expect(replay.identical).toBe(true);
    expect(replay.violationReproduced).toBe(true);
  });

  it('finds the same counterexample for the same seed', () => {
    const again = check(seed, oneToOne, { runs: 300, seed: SEED });
    expect(JSON.stringify(again.counterexample)).toBe(JSON.stringify(result.counterexample));
  });
});

describe('one-to-one on mistaken (the team’s belief)', () => {
  it('holds over 1,000 runs at every boundary', () => {
    const result = check(mistaken, oneToOne, { runs: 1000, seed: SEED });
    expect(result.verdict, `seed ${SEED}`).toBe('holds');
    expect(result.facets.every((f) => f.verdict === 'holds')).toBe(true);
    expect(result.runs).toBe(1000);
  });
});
