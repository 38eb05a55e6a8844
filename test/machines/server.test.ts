/**
 * The server machine (the database preset): answers each request on the
 * connection it came on, with the query time as the response latency.
 */
import { describe, expect, it } from 'vitest';
import { server, type ServerContext, type ServerParams } from '../../models/machines/server.js';
import { database } from '../../models/tiers/database.js';
import { Driver, ev } from './drive.js';

const C = 'app>database#1';

function db(params: Partial<ServerParams> = {}) {
  return new Driver<ServerContext>(server, { params: { ...database.params, ...params } });
}

describe('server as the database', () => {
  it('answers in 1-20 ms and never closes idle connections by default', () => {
    expect(database.params).toEqual({ responseTime: [1, 20], idleTimeout: null });
  });

  it('accepts a connection silently and counts it', () => {
    const s = db();
    expect(s.deliver(ev.connect(C))).toEqual([]);
    expect(s.ctx.conns).toEqual([C]);
  });

  it('answers a request on the same connection, status 200 with keep-alive, after its response time', () => {
    const s = db();
    s.deliver(ev.connect(C));
    expect(s.deliver(ev.request(C, 'r1'))).toEqual([
      { type: 'cancelTimer', key: `idle:${C}` },
      {
        type: 'send',
        conn: C,
        to: 'down',
        msg: { kind: 'response', req: 'r1', status: 200, close: false },
        latency: [1, 20],
      },
    ]);
  });

  it('answers every request on each connection independently', () => {
    const s = db({ responseTime: [7, 7] });
    s.deliver(ev.connect('a'));
    s.deliver(ev.connect('b'));
    const fb = s.deliver(ev.request('b', 'x'));
    const fa = s.deliver(ev.request('a', 'y'));
    expect(fb[1]).toMatchObject({ conn: 'b', msg: { req: 'x' }, latency: [7, 7] });
    expect(fa[1]).toMatchObject({ conn: 'a', msg: { req: 'y' } });
  });

  it('does not read a request on a connection it does not know', () => {
    expect(db().accepts(ev.request(C, 'r1'))).toBe(false);
  });

  it('forgets a connection its client closed or reset', () => {
    const s = db();
    s.deliver(ev.connect('a'));
    s.deliver(ev.connect('b'));
    s.deliver(ev.close('a', 'down'));
    s.deliver(ev.reset('b', 'down'));
    expect(s.ctx.conns).toEqual([]);
    expect(s.accepts(ev.request('a', 'r1'))).toBe(false);
  });

  it('with an idle timeout: arms it on accept, re-arms it per request, and closes the idle connection', () => {
    const s = db({ idleTimeout: 500 });
    expect(s.deliver(ev.connect(C))).toEqual([{ type: 'setTimer', key: `idle:${C}`, after: 500 }]);
    expect(s.deliver(ev.request(C, 'r1')).at(-1)).toEqual({ type: 'setTimer', key: `idle:${C}`, after: 500 });
    expect(s.deliver(ev.timer(`idle:${C}`))).toEqual([
      { type: 'log', what: 'idle-close', conn: C, detail: 'idle 500 ms' },
      { type: 'close', conn: C, to: 'down', detail: 'server idle timeout' },
    ]);
    expect(s.ctx.conns).toEqual([]);
  });
});
