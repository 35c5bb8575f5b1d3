// Where the stack under test runs; `npm test` starts it on the standard ports.
export const WEB_URL = (process.env.WEB_URL ?? 'http://127.0.0.1:5173').replace(/\/$/, '');
export const API_URL = (process.env.API_URL ?? 'http://127.0.0.1:54321').replace(/\/$/, '');
