export { app } from './app.js';
export { cdn } from './cdn.js';
export { client } from './client.js';
export { connQueue } from './connQueue.js';
export { database } from './database.js';
export { gateway } from './gateway.js';
export { nginx } from './nginx.js';
export { nlb } from './nlb.js';
export { withParams, type TierPreset } from './preset.js';
