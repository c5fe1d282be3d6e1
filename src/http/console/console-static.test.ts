import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileUnder } from './console-static.js';

describe('console asset paths', () => {
  const root = resolve('/srv/bulwark/web/assets');

  it('resolves plain relative paths inside the assets directory', () => {
    assert.equal(fileUnder(root, 'index-abc.js'), join(root, 'index-abc.js'));
    assert.equal(fileUnder(root, 'fonts/inter.woff2'), join(root, 'fonts', 'inter.woff2'));
    assert.equal(fileUnder(root, 'a%20b.css'), join(root, 'a b.css'));
  });

  it('refuses dot segments, separators, NUL, empty segments and bad encoding, spelled any way', () => {
    for (const path of [
      '..',
      '../secret',
      'a/../../secret',
      '%2e%2e/secret',
      '%2E%2E%2Fsecret',
      '.%2e/secret',
      './index.js',
      '..%5csecret',
      'a\\b',
      '%2fetc%2fpasswd',
      '/etc/passwd',
      '',
      'a//b',
      '%00',
      'a%00.js',
      '%zz',
      'C:%5cwindows',
    ]) {
      assert.equal(fileUnder(root, path), undefined, path);
    }
  });
});
