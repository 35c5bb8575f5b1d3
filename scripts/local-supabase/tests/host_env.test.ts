// What the Deno function host (and the set-up's dependency fetch) inherits: the machine's trust
// and proxy settings, never the API server's other variables (the project's secrets).
import { describe, expect, it } from 'vitest';
import { hostEnvironment } from '../src/functions/host-env.ts';

const MACHINE = { PATH: '/usr/bin', HOME: '/home/dev', TMPDIR: '/tmp' };
const anyFile = (): boolean => true;

describe('hostEnvironment', () => {
  it('passes the CA bundle named by SSL_CERT_FILE to Deno as DENO_CERT', () => {
    const env = hostEnvironment({ ...MACHINE, SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' }, {}, anyFile);
    expect(env.DENO_CERT).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(env.SSL_CERT_FILE).toBe('/etc/ssl/certs/ca-certificates.crt');
  });

  it('falls back to NODE_EXTRA_CA_CERTS, and keeps a DENO_CERT the developer set', () => {
    expect(hostEnvironment({ ...MACHINE, NODE_EXTRA_CA_CERTS: '/corp/ca.pem' }, {}, anyFile).DENO_CERT).toBe('/corp/ca.pem');
    const own = hostEnvironment({ ...MACHINE, SSL_CERT_FILE: '/a.pem', NODE_EXTRA_CA_CERTS: '/b.pem', DENO_CERT: '/mine.pem' }, {}, anyFile);
    expect(own).toMatchObject({ DENO_CERT: '/mine.pem', SSL_CERT_FILE: '/a.pem', NODE_EXTRA_CA_CERTS: '/b.pem' });
  });

  it('never names a bundle that does not exist as DENO_CERT (Deno would then fail every fetch, even to the local API)', () => {
    const env = hostEnvironment({ ...MACHINE, SSL_CERT_FILE: '/gone/ca.pem', NODE_EXTRA_CA_CERTS: '/corp/ca.pem' }, {}, (file) => file === '/corp/ca.pem');
    expect(env.DENO_CERT).toBe('/corp/ca.pem');
    expect(hostEnvironment({ ...MACHINE, SSL_CERT_FILE: '/gone/ca.pem' }, {}, () => false)).not.toHaveProperty('DENO_CERT');
  });

  it('sets no DENO_CERT when the machine names no bundle (Deno keeps its own roots)', () => {
    const env = hostEnvironment({ ...MACHINE, SSL_CERT_FILE: '' }, {});
    expect(env).not.toHaveProperty('DENO_CERT');
    expect(env).not.toHaveProperty('SSL_CERT_FILE');
  });

  it('passes the proxy settings in both spellings, and never proxies the local API on loopback', () => {
    const env = hostEnvironment({ ...MACHINE, HTTPS_PROXY: 'http://proxy:3128', http_proxy: 'http://proxy:3128', NO_PROXY: '.corp,localhost' }, {});
    expect(env).toMatchObject({ HTTPS_PROXY: 'http://proxy:3128', http_proxy: 'http://proxy:3128' });
    expect(env.NO_PROXY.split(',')).toEqual(['.corp', 'localhost', '127.0.0.1', '::1']);
    expect(env.no_proxy).toBe(env.NO_PROXY);
  });

  it('without a proxy, NO_PROXY passes as it is', () => {
    expect(hostEnvironment({ ...MACHINE, no_proxy: '.corp' }, {})).toMatchObject({ no_proxy: '.corp' });
    expect(hostEnvironment(MACHINE, {})).not.toHaveProperty('NO_PROXY');
  });

  it('never passes the project\'s secrets or anything else of the parent; the functions get only their own env', () => {
    const parent = {
      ...MACHINE, SSL_CERT_FILE: '/ca.pem', DENO_DIR: '/cache/deno',
      SUPABASE_SERVICE_ROLE_KEY: 'server-secret', STRIPE_SECRET_KEY: 'sk_test_x', PGPASSWORD: 'pw', DATABASE_URL: 'postgres://x',
      AWS_SECRET_ACCESS_KEY: 'aws', GITHUB_TOKEN: 'ghp', NODE_OPTIONS: '--inspect', LD_PRELOAD: '/evil.so',
    };
    const env = hostEnvironment(parent, { STRIPE_WEBHOOK_SECRET: 'whsec_local' }, anyFile);
    expect(Object.keys(env).sort()).toEqual(['DENO_CERT', 'DENO_DIR', 'HOME', 'NO_COLOR', 'PATH', 'SSL_CERT_FILE', 'STRIPE_WEBHOOK_SECRET', 'TMPDIR']);
    expect(env.NO_COLOR).toBe('1');
  });
});
