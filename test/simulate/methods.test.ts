/** A scenario's request mix becomes the client machine's methods cycle, spread evenly. */
import { describe, expect, it } from 'vitest';
import { methodCycle } from '../../models/scenarios/methods.js';

describe('methodCycle', () => {
  it('reduces whole weights by their greatest common divisor and spreads them (smooth weighted round robin)', () => {
    expect(methodCycle([{ method: 'GET', weight: 80 }, { method: 'POST', weight: 20 }])).toEqual(['GET', 'GET', 'POST', 'GET', 'GET']);
    expect(methodCycle([{ method: 'GET', weight: 3 }, { method: 'PUT', weight: 2 }])).toEqual(['GET', 'PUT', 'GET', 'PUT', 'GET']);
    expect(methodCycle([{ method: 'HEAD', weight: 7 }])).toEqual(['HEAD']);
    expect(methodCycle([{ method: 'GET', weight: 1 }, { method: 'POST', weight: 0 }])).toEqual(['GET']);
  });

  it('gives null for weights it cannot express in at most 16 requests, or that are not whole', () => {
    expect(methodCycle([{ method: 'GET', weight: 33 }, { method: 'POST', weight: 67 }])).toBeNull();
    expect(methodCycle([{ method: 'GET', weight: 0.5 }, { method: 'POST', weight: 0.5 }])).toBeNull();
    expect(methodCycle([{ method: 'GET', weight: 0 }])).toBeNull();
  });
});
