// The environment of every Deno process the stand-in starts for the Edge Functions: the function
// host (deno-process.ts) and the set-up's dependency fetch (function-deps.ts), so both reach the
// npm registry the same way and read the same cache (DENO_DIR).
//
// An allow-list, not a deny-list: the API server's own environment may hold the project's
// secrets (or anything a developer exported), and a function must see only what the hosted edge
// runtime would give it. What passes is what Deno needs to run and to download through this
// machine's network: its trust store and its proxy.

import fs from 'node:fs';

/** Inherited as they are: running Deno, and the machine's network settings. */
const INHERITED = [
  'PATH', 'HOME', 'TMPDIR', 'NO_COLOR',
  // Trust: a TLS-intercepting network's CA bundle (npm and Node honour these; Deno reads
  // NODE_EXTRA_CA_CERTS too, and DENO_CERT below).
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS',
  // Proxy, in both spellings (curl's lower case, most tools' upper case).
  'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy',
  // An npm registry mirror, which Deno's npm resolver honours as npm does.
  'NPM_CONFIG_REGISTRY',
];

/** The functions call the local API on loopback: a proxy must never be asked for those. */
const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

export function hostEnvironment(parent: NodeJS.ProcessEnv, functionEnv: Record<string, string>,
  fileExists: (file: string) => boolean = fs.existsSync): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && value !== '' && (INHERITED.includes(name) || name.startsWith('DENO_'))) env[name] = value;
  }
  // Deno's own trust setting, from the bundle the rest of the machine uses, unless set already.
  // Only a file that exists: a DENO_CERT Deno cannot open fails every fetch, even plain http to
  // the local API (a stale SSL_CERT_FILE is otherwise harmless to npm and Node).
  const bundle = [parent.SSL_CERT_FILE, parent.NODE_EXTRA_CA_CERTS].find((file) => file && fileExists(file));
  if (!env.DENO_CERT && bundle) env.DENO_CERT = bundle;
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].some((name) => env[name]);
  if (proxied) {
    const listed = (parent.NO_PROXY || parent.no_proxy || '').split(',').map((s) => s.trim()).filter(Boolean);
    const noProxy = [...listed, ...LOOPBACK.filter((host) => !listed.includes(host))].join(',');
    env.NO_PROXY = noProxy;
    env.no_proxy = noProxy;
  } else {
    for (const name of ['NO_PROXY', 'no_proxy']) if (parent[name]) env[name] = parent[name];
  }
  return { ...env, ...functionEnv, NO_COLOR: '1' };
}
