import { withParams } from './preset.js';
import { app } from './app.js';

/**
 * The app on later Node.js lines, where the keep-alive socket closes a buffer
 * after keepAliveTimeout (PR #59243: keepAliveTimeoutBuffer, default 1000 ms,
 * in v22.19.0 and v24.6.0), and from v26 with keepAliveTimeout 65 s (PR #62782).
 */
export const appNode24 = {
  ...withParams(app, { downstreamIdleTimeout: 6_000 }, {
    source: 'doc',
    ref: 'Node.js http.Server (v22.19+, v24.6+): socket.setTimeout(keepAliveTimeout + keepAliveTimeoutBuffer) = 5000 + 1000 ms after the last response',
  }),
  name: 'appNode24',
  about: 'the app on Node.js 22.19+ / 24.6+: the keep-alive socket closes 6 s after the last response (keepAliveTimeout 5 s + 1 s buffer)',
};

export const appNode26 = {
  ...withParams(app, { downstreamIdleTimeout: 66_000 }, {
    source: 'doc',
    ref: 'Node.js http.Server (v26, PR #62782): keepAliveTimeout 65000 ms, plus keepAliveTimeoutBuffer 1000 ms',
  }),
  name: 'appNode26',
  about: 'the app on Node.js 26: keepAliveTimeout 65 s + 1 s buffer, longer than NGINX’s 60 s upstream keepalive_timeout',
};
