import { describe, expect, it } from 'vitest';
import { mappedPath, parseRoute, sessionPrefix, SESSION_PREFIX_PATTERN, unmappedPath } from '../../sandbox-server/linux/registry-names.js';

const prefix = sessionPrefix('a-session');
const digest = `sha256:${'a'.repeat(64)}`;

describe('registry names: a learner path read by distribution’s routes, then put under the session’s prefix', () => {
  it('gives each session a prefix of its own that the crash sweep recognises', () => {
    expect(prefix).toMatch(SESSION_PREFIX_PATTERN);
    expect(sessionPrefix('another')).not.toBe(prefix);
    expect(sessionPrefix('a-session')).toBe(prefix);
  });

  it('maps every route of the API, multi-component names included', () => {
    const cases: [string, string][] = [
      ['/v2/', '/v2/'],
      ['/v2/_catalog', '/v2/_catalog'],
      ['/v2/app/tags/list', `/v2/${prefix}/app/tags/list`],
      ['/v2/team/app/manifests/v1.0', `/v2/${prefix}/team/app/manifests/v1.0`],
      [`/v2/app/manifests/${digest}`, `/v2/${prefix}/app/manifests/${digest}`],
      [`/v2/app/blobs/${digest}`, `/v2/${prefix}/app/blobs/${digest}`],
      ['/v2/app/blobs/uploads/', `/v2/${prefix}/app/blobs/uploads/`],
      ['/v2/app/blobs/uploads/0b6c-11ef', `/v2/${prefix}/app/blobs/uploads/0b6c-11ef`],
      // Components named like route words are names too.
      ['/v2/blobs/uploads/blobs/uploads/', `/v2/${prefix}/blobs/uploads/blobs/uploads/`],
      ['/v2/a/tags/tags/list', `/v2/${prefix}/a/tags/tags/list`],
    ];
    for (const [path, mapped] of cases) {
      const route = parseRoute(path, prefix);
      expect('status' in route, path).toBe(false);
      if (!('status' in route)) expect(mappedPath(route, prefix), path).toBe(mapped);
    }
  });

  it('refuses what the grammar does not allow, before any mapping', () => {
    const refused = [
      '/v2/../x/manifests/latest',
      '/v2/x/../../y/manifests/latest',
      '/v2/%2e%2e/x/manifests/latest',
      '/v2/a%2fb/manifests/latest',
      'http://127.0.0.1:5000/v2/x/manifests/latest',
      '//v2/x/manifests/latest',
      '/v2//x/manifests/latest',
      '/v2/X/manifests/latest',
      '/v2/x/manifests/',
      '/v2/x/manifests/..',
      '/v2/x/blobs/not-a-digest',
      '/v2/x/blobs/uploads/../../y',
      '/v2/x\\y/tags/list',
      '/v2/x /tags/list',
      `/v2/${'a'.repeat(255 - prefix.length)}/tags/list`,
      '/v3/x/tags/list',
    ];
    for (const path of refused) expect('status' in parseRoute(path, prefix), path).toBe(true);
    // The longest name that still fits under the prefix in distribution's 255 characters passes.
    expect('status' in parseRoute(`/v2/${'a'.repeat(254 - prefix.length)}/tags/list`, prefix)).toBe(false);
    expect(parseRoute(`/v2/${'a'.repeat(255 - prefix.length)}/tags/list`, prefix)).toMatchObject({ status: 400, code: 'NAME_INVALID' });
  });

  it('maps the registry’s paths back only from under the prefix', () => {
    expect(unmappedPath(`/v2/${prefix}/app/blobs/uploads/x`, prefix)).toBe('/v2/app/blobs/uploads/x');
    expect(unmappedPath(`/v2/${sessionPrefix('another')}/app/blobs/uploads/x`, prefix)).toBeUndefined();
    expect(unmappedPath(`/v2/${prefix}x/app`, prefix)).toBeUndefined();
  });
});
