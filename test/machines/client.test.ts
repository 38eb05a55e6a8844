/**
 * The client machine: HTTP/1.1 keep-alive, one request at a time, a new
 * connection after the server closed the old one, an outcome per request.
 */
import { describe, expect, it } from 'vitest';
import { clientConnection, type ClientContext, type ClientParams } from '../../models/machines/client.js';
import { client } from '../../models/tiers/client.js';
import { Driver, ev, only } from './drive.js';

const conn = (n: number) => `client>cdn#${n}`;

function start(params: Partial<ClientParams> = {}) {
  return new Driver<ClientContext>(clientConnection, { index: 1, params: { ...client.params, requests: 3, ...params } });
}

/** A client that has sent r1.1 on conn #1 and is awaiting its response. */
function awaiting(params: Partial<ClientParams> = {}) {
  const c = start(params);
  c.deliver(ev.act({ nextConn: conn(1) }));
  return c;
}

describe('client', () => {
  it('starts disconnected and waits forever by default (no client timeout)', () => {
    const c = start();
    expect(c.value).toBe('disconnected');
    expect(client.params.timeout).toBeNull();
  });

  it('opens a connection (the event nextConn) and sends its first request on it when it acts', () => {
    const c = start();
    const fx = c.deliver(ev.act({ nextConn: conn(1) }));
    expect(fx).toEqual([
      { type: 'open', conn: conn(1) },
      { type: 'send', conn: conn(1), to: 'up', msg: { kind: 'request', req: 'r1.1', method: 'GET' } },
      { type: 'cancelTimer', key: 'timeout' },
    ]);
    expect(c.value).toBe('awaiting');
    expect(c.ctx).toMatchObject({ conn: conn(1), outstanding: 'r1.1', sent: 1 });
  });

  it('sends one request at a time: it does not act while awaiting a response', () => {
    const c = awaiting();
    expect(c.accepts(ev.act({ nextConn: conn(2) }))).toBe(false);
  });

  it('logs the outcome of a response and keeps the connection for the next request', () => {
    const c = awaiting();
    const fx = c.deliver(ev.response(conn(1), 'r1.1', { side: 'up', status: 200 }));
    expect(fx).toEqual([
      { type: 'cancelTimer', key: 'timeout' },
      { type: 'log', what: 'outcome', req: 'r1.1', status: 200, conn: conn(1) },
    ]);
    expect(c.value).toBe('connected');
    expect(c.ctx).toMatchObject({ conn: conn(1), outstanding: null });
  });

  it('sends its next request on the same connection, numbered per client', () => {
    const c = awaiting();
    c.deliver(ev.response(conn(1), 'r1.1'));
    const fx = c.deliver(ev.act({ nextConn: conn(2) }));
    expect(only(fx, 'open')).toEqual([]);
    expect(only(fx, 'send')).toEqual([{ type: 'send', conn: conn(1), to: 'up', msg: { kind: 'request', req: 'r1.2', method: 'GET' } }]);
  });

  it('ignores a response that does not answer its outstanding request', () => {
    const c = awaiting();
    expect(c.accepts(ev.response(conn(1), 'r9.9'))).toBe(false);
    expect(c.accepts(ev.response(conn(2), 'r1.1'))).toBe(false);
  });

  it('stops after its request budget', () => {
    const c = start({ requests: 1 });
    c.deliver(ev.act({ nextConn: conn(1) }));
    c.deliver(ev.response(conn(1), 'r1.1'));
    expect(c.accepts(ev.act({ nextConn: conn(2) }))).toBe(false);
  });

  it('reconnects on the next request after the server closed its idle connection', () => {
    const c = awaiting();
    c.deliver(ev.response(conn(1), 'r1.1'));
    expect(c.deliver(ev.close(conn(1), 'up'))).toEqual([]);
    expect(c.value).toBe('disconnected');
    const fx = c.deliver(ev.act({ nextConn: conn(2) }));
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: conn(2) }]);
    expect(only(fx, 'send')[0]).toMatchObject({ conn: conn(2), msg: { req: 'r1.2' } });
  });

  it('treats a reset of its idle connection like a close', () => {
    const c = awaiting();
    c.deliver(ev.response(conn(1), 'r1.1'));
    expect(c.deliver(ev.reset(conn(1), 'up'))).toEqual([]);
    expect(c.value).toBe('disconnected');
  });

  it('honours Connection: close: logs the outcome, closes its end and reconnects for the next request', () => {
    const c = awaiting();
    const fx = c.deliver(ev.response(conn(1), 'r1.1', { close: true }));
    expect(fx).toEqual([
      { type: 'cancelTimer', key: 'timeout' },
      { type: 'log', what: 'outcome', req: 'r1.1', status: 200, conn: conn(1) },
      { type: 'close', conn: conn(1), to: 'up' },
    ]);
    expect(c.value).toBe('disconnected');
    expect(c.ctx.conn).toBeNull();
    expect(only(c.deliver(ev.act({ nextConn: conn(2) })), 'open')).toEqual([{ type: 'open', conn: conn(2) }]);
  });

  it('records a lost request (status 0) when the server closes the connection under it', () => {
    const c = awaiting();
    const fx = c.deliver(ev.close(conn(1), 'up'));
    expect(fx).toContainEqual({ type: 'log', what: 'outcome', req: 'r1.1', status: 0, conn: conn(1), detail: 'connection closed' });
    expect(c.value).toBe('disconnected');
    expect(c.ctx.outstanding).toBeNull();
  });

  it('records a lost request (status 0) when the connection is reset under it', () => {
    const c = awaiting();
    const fx = c.deliver(ev.reset(conn(1), 'up'));
    expect(fx).toContainEqual({ type: 'log', what: 'outcome', req: 'r1.1', status: 0, conn: conn(1), detail: 'connection reset' });
  });

  it('does not react to a close of a connection it no longer uses', () => {
    const c = awaiting();
    expect(c.accepts(ev.close(conn(7), 'up'))).toBe(false);
  });

  it('with a timeout: arms it per request, and on expiry logs a 504 timeout and resets the connection', () => {
    const c = start({ timeout: 1_000 });
    expect(only(c.deliver(ev.act({ nextConn: conn(1) })), 'setTimer')).toEqual([{ type: 'setTimer', key: 'timeout', after: 1_000 }]);
    const fx = c.deliver(ev.timer('timeout'));
    expect(fx).toEqual([
      { type: 'log', what: 'timeout', req: 'r1.1', status: 504, conn: conn(1), detail: 'client timeout' },
      { type: 'reset', conn: conn(1), to: 'up' },
    ]);
    expect(c.value).toBe('disconnected');
    expect(c.ctx).toMatchObject({ conn: null, outstanding: null });
  });
});
