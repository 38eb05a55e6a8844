import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { seed } from '../../models/topologies/index.js';
import { oneToOne } from '../../properties/catalogue.js';
import { actualTrace, SEED_PARTICIPANTS } from '../../src/diagrams/seedDiagrams.js';
import { scriptedTrace } from '../../src/diagrams/scriptedRun.js';
import { ordinal, sequenceDiagram } from '../../src/diagrams/sequence.js';
import { sequenceToMermaid } from '../../src/diagrams/sequenceMermaid.js';
import type { SequenceItem } from '../../src/diagrams/sequenceModel.js';
import { sequenceToPlantUml } from '../../src/diagrams/sequencePlantUml.js';
import { runScenario } from '../../src/explore/run.js';
import { DEFAULT_CHOICE } from '../../src/kernel/step.js';
import { queueingTrace } from './support/traces.js';

const actual = actualTrace();
const messages = (items: SequenceItem[]) => items.filter((i): i is Extract<SequenceItem, { kind: 'message' }> => i.kind === 'message');
const notes = (items: SequenceItem[]) => items.filter((i): i is Extract<SequenceItem, { kind: 'note' }> => i.kind === 'note');

describe('ordinal', () => {
  it('names requests as the seed does', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th',
    ]);
  });
});

describe('sequenceDiagram participants', () => {
  it('draws every tier in pipeline order, with the instance entry (EC2) before its tiers, named as in the seed', () => {
    const d = sequenceDiagram(actual.topology, actual.events);
    expect(d.participants.map((p) => p.label)).toEqual(['JMETER', 'CloudFront', 'APIGW', 'NLB', 'EC2', 'ConnCtrl', 'NGINX', 'NODE', 'RDS']);
    expect(d.boxes).toEqual([{ label: 'EC2 instance 1', members: ['EC2', 'ConnCtrl', 'NGINX', 'NODE'] }]);
  });

  it('names lifelines by tier on request', () => {
    const d = sequenceDiagram(actual.topology, actual.events, { names: 'tiers' });
    expect(d.participants.map((p) => p.label)).toEqual(['client', 'cdn', 'gateway', 'nlb', 'instance', 'connQueue', 'nginx', 'app', 'database']);
  });

  it('keeps only the participants asked for, in pipeline order whatever the order asked', () => {
    const d = sequenceDiagram(actual.topology, actual.events, { participants: ['nginx', 'JMETER', 'apigw'] });
    expect(d.participants.map((p) => p.label)).toEqual(['JMETER', 'APIGW', 'NGINX']);
    // Collapsed tiers in between: the request goes straight from one drawn participant to the next.
    expect(messages(d.items).slice(0, 2).map((m) => `${m.from}>${m.to}`)).toEqual(['JMETER>APIGW', 'APIGW>NGINX']);
  });

  it('numbers copies only when a run uses several (two clients, two instances)', () => {
    const { topology, events } = queueingTrace();
    const d = sequenceDiagram(topology, events, { participants: SEED_PARTICIPANTS });
    expect(d.participants.map((p) => p.id)).toEqual(['JMETER_1', 'JMETER_2', 'APIGW', 'NLB', 'EC2_1', 'ConnCtrl_1', 'NGINX_1', 'EC2_2', 'ConnCtrl_2', 'NGINX_2']);
    expect(d.participants.find((p) => p.id === 'ConnCtrl_2')!.label).toBe('ConnCtrl 2');
  });

  it('rejects an unknown participant, naming the allowed ones, and a diagram of one participant', () => {
    expect(() => sequenceDiagram(seed, actual.events, { participants: ['JMETER', 'ALB'] })).toThrow(InputError);
    expect(() => sequenceDiagram(seed, actual.events, { participants: ['JMETER', 'ALB'] })).toThrow(/unknown participant 'ALB'.*allowed: JMETER, CloudFront, APIGW, NLB, ConnCtrl, NGINX, NODE, RDS, EC2/);
    expect(() => sequenceDiagram(seed, actual.events, { participants: ['JMETER'] })).toThrow(/at least two participants/);
  });
});

describe('sequenceDiagram arrows', () => {
  it('labels each arrow with the connections open on its hop, marks new ones, and keeps one hop for NLB -> EC2 -> ConnCtrl', () => {
    const d = sequenceDiagram(actual.topology, actual.events);
    const ms = messages(d.items);
    for (const m of ms) expect(m.text).toMatch(/^(\d{3}, )?\d+ TCP conn\.$/);
    const second = ms.filter((m) => m.dir === 'request').slice(8, 16);
    expect(second.map((m) => `${m.from}>${m.to} ${m.text}${m.fresh ? ' new' : ''}`)).toEqual([
      'JMETER>CloudFront 1 TCP conn.',
      'CloudFront>APIGW 1 TCP conn.',
      'APIGW>NLB 2 TCP conn. new',
      'NLB>EC2 2 TCP conn. new',
      'EC2>ConnCtrl 2 TCP conn. new',
      'ConnCtrl>NGINX 2 TCP conn. new',
      // NGINX speaks HTTP/1.0 upstream: a new connection per request, the old one already closed.
      'NGINX>NODE 1 TCP conn. new',
      'NODE>RDS 1 TCP conn.',
    ]);
  });

  it('shows connection ids and request ids when asked', () => {
    const d = sequenceDiagram(actual.topology, actual.events, { ids: true });
    expect(messages(d.items)[2]!.text).toBe('1 TCP conn. (gateway>nlb#1)');
    expect(d.items.filter((i) => i.kind === 'divider').map((i) => (i as { text: string }).text)).toEqual([
      '1st request (r1.1)',
      '2nd request (r1.2)',
      '3rd request (r1.3)',
    ]);
  });

  it('stops where request N+1 starts', () => {
    const d = sequenceDiagram(actual.topology, actual.events, { participants: SEED_PARTICIPANTS, maxRequests: 2 });
    expect(d.items.filter((i) => i.kind === 'divider')).toHaveLength(2);
    const last = messages(d.items).at(-1)!;
    expect([last.from, last.to, last.dir]).toEqual(['APIGW', 'JMETER', 'response']);
    expect(() => sequenceDiagram(seed, actual.events, { maxRequests: 0 })).toThrow(InputError);
  });

  it('says whose request each arrow carries when several clients interleave', () => {
    const { topology, events } = queueingTrace();
    const d = sequenceDiagram(topology, events, { participants: SEED_PARTICIPANTS });
    expect(d.items.filter((i) => i.kind === 'divider').map((i) => (i as { text: string }).text).slice(0, 2)).toEqual([
      '1st request of JMETER 1',
      '1st request of JMETER 2',
    ]);
    expect(messages(d.items)[1]!.text).toBe('r2.1: 1 TCP conn.');
  });

  it('draws nothing for messages that start or end at participants left out (health checks into NGINX)', () => {
    const run = scriptedTrace(seed, { clients: 1, requests: 1, choose: () => DEFAULT_CHOICE, done: () => false, maxSteps: 500 });
    expect(run.events.some((e) => e.at.startsWith('health.') && e.type === 'send')).toBe(true);
    const without = sequenceDiagram(seed, run.events, { participants: SEED_PARTICIPANTS });
    expect(messages(without.items).every((m) => !m.text.includes('h1.'))).toBe(true);
    // Both instances are checked, so both appear, numbered; only instance 1 served the request.
    expect(messages(without.items).filter((m) => m.to === 'NGINX_1' || m.from === 'NGINX_1')).toHaveLength(2);
    const withChecks = sequenceDiagram(seed, run.events, { participants: [...SEED_PARTICIPANTS, 'HealthCheck'] });
    expect(withChecks.participants.map((p) => p.id)).toEqual(expect.arrayContaining(['HealthCheck_1', 'HealthCheck_2']));
    const checks = messages(withChecks.items).filter((m) => m.from.startsWith('HealthCheck') || m.to.startsWith('HealthCheck'));
    expect(checks.map((m) => `${m.from}>${m.to}`).sort()).toEqual(['HealthCheck_1>NGINX_1', 'HealthCheck_2>NGINX_2', 'NGINX_1>HealthCheck_1', 'NGINX_2>HealthCheck_2']);
  });
});

describe('sequenceDiagram notes', () => {
  const { topology, events } = queueingTrace();
  const d = sequenceDiagram(topology, events, { participants: SEED_PARTICIPANTS });
  const on = (id: string) => notes(d.items).filter((n) => n.over[0] === id).flatMap((n) => n.lines);

  it('puts queueing, activation and closes on the connection queue', () => {
    expect(on('ConnCtrl_1')).toContain('parks a new conn. unread (all 1 slots active, position 1)');
    expect(on('ConnCtrl_1')).toContain('activates the conn. (slot 1 of 1)');
    expect(on('ConnCtrl_1')).toContain('closes the conn. from NLB');
  });

  it('puts timeouts on the gateway and idle closes, with their reason, on NGINX', () => {
    expect(on('APIGW')).toContain('r2.1 timed out: 504 (upstream did not answer in time)');
    expect(on('NGINX_1')).toContain('closes the conn. from ConnCtrl 1 after idle 75 s (keep-alive idle timeout)');
  });

  it('merges what happens in one step at one participant into one note, and can leave notes out', () => {
    expect(notes(d.items).some((n) => n.lines.length > 1)).toBe(true);
    expect(notes(sequenceDiagram(topology, events, { participants: SEED_PARTICIPANTS, notes: false }).items)).toEqual([]);
  });

  it('leaves out closes of hops that lead to no drawn participant (NGINX -> NODE when NODE and RDS are not drawn)', () => {
    expect(on('NGINX_1').some((l) => l.includes('NODE'))).toBe(false);
    const full = sequenceDiagram(topology, events);
    expect(notes(full.items).flatMap((n) => n.lines)).toContain('closes the conn. to NODE 1 (one request per connection)');
  });

  it('marks a violation after the step that broke the property, over the broken boundary', () => {
    const run = runScenario(seed, { clients: 1, requests: 2, schedule: [] }, [oneToOne.monitor(seed, 'gateway>nlb')]);
    const violation = run.violations[0]!;
    const v = sequenceDiagram(seed, run.events, { violation });
    const last = v.items.at(-1)!;
    expect(last).toMatchObject({ kind: 'note', over: ['APIGW', 'NLB'], alert: true });
    expect((last as { lines: string[] }).lines[0]).toBe(`one-to-one VIOLATED at gateway>nlb (step ${violation.step})`);
  });

  it('draws a message still on the wire when the trace ends to the next drawn participant, saying so', () => {
    const run = runScenario(seed, { clients: 1, requests: 2, schedule: [] }, [oneToOne.monitor(seed, 'gateway>nlb')]);
    const d = sequenceDiagram(seed, run.events, { participants: ['JMETER', 'APIGW', 'EC2'] });
    expect(messages(d.items).at(-1)).toMatchObject({ from: 'APIGW', to: 'EC2', text: '2 TCP conn. (in flight)', fresh: true });
  });
});

describe('notations', () => {
  const d = sequenceDiagram(actual.topology, actual.events, { participants: SEED_PARTICIPANTS, title: 'T' });

  it('PlantUML: seed style, bold where a hop opened a connection, dashed responses', () => {
    const puml = sequenceToPlantUml(d);
    expect(puml.startsWith('@startuml\ntitle T\nparticipant JMETER\n')).toBe(true);
    expect(puml).toContain('== 2nd request ==\nJMETER -> APIGW : 1 TCP conn.\nAPIGW -> NLB : **2 TCP conn.**\n');
    expect(puml).toContain('NLB --> APIGW : 200, 2 TCP conn.\n');
    expect(puml.endsWith('@enduml\n')).toBe(true);
  });

  it('Mermaid: a note across all participants per request, highlighted bands where a hop opened a connection', () => {
    const mmd = sequenceToMermaid(d);
    expect(mmd).toContain('Note over JMETER,NGINX: 2nd request\nJMETER->>APIGW: 1 TCP conn.\nrect rgb(255, 236, 179)\nAPIGW->>NLB: 2 TCP conn. (new)\n');
    // Every block is closed: a `box` or `rect` each has its `end`.
    const opened = mmd.split('\n').filter((l) => l.startsWith('rect ') || l.startsWith('box ')).length;
    expect(opened).toBe(mmd.split('\n').filter((l) => l === 'end').length);
  });

  it('Mermaid: escapes what would end a statement or start a comment', () => {
    const ids = sequenceToMermaid(sequenceDiagram(actual.topology, actual.events, { ids: true }));
    expect(ids).toContain('1 TCP conn. (gateway>nlb#35;1)');
    expect(ids).not.toMatch(/#(?!\d+;)/);
  });
});
