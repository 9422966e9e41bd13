import { describe, expect, it } from '@jest/globals';
import { compileUriTemplate } from '../../src/mcp/uri-template.js';

describe('compileUriTemplate', () => {
  it('matches simple {var} and percent-decodes values', () => {
    const t = compileUriTemplate('users://{id}/profile');
    expect(t.variables).toEqual(['id']);
    expect(t.match('users://42/profile')).toEqual({ id: '42' });
    expect(t.match('users://a%20b/profile')).toEqual({ id: 'a b' });
    expect(t.match('users://bad%zz/profile')).toEqual({ id: 'bad%zz' });
  });

  it('does not let a simple variable span a slash', () => {
    const t = compileUriTemplate('users://{id}/profile');
    expect(t.match('users://1/2/profile')).toBeUndefined();
    expect(t.match('users://42/settings')).toBeUndefined();
    expect(t.match('other://42/profile')).toBeUndefined();
    expect(t.match('users://42/profile/extra')).toBeUndefined();
  });

  it('lets {+path} span slashes', () => {
    const t = compileUriTemplate('file:///{+path}');
    expect(t.match('file:///a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(t.match('file:///')).toEqual({ path: '' });
    expect(t.match('http:///a')).toBeUndefined();
  });

  it('splits an exploded path {/seg*} into segments', () => {
    const t = compileUriTemplate('repo://x{/seg*}');
    expect(t.match('repo://x/a/b/c')).toEqual({ seg: ['a', 'b', 'c'] });
    expect(t.match('repo://x/one')).toEqual({ seg: ['one'] });
    expect(t.match('repo://x')).toEqual({});
    expect(t.match('repo://y/a')).toBeUndefined();
  });

  it('reads form-style query variables {?q,r} in any order, and tolerates them missing', () => {
    const t = compileUriTemplate('search://items{?q,r}');
    expect(t.variables).toEqual(['q', 'r']);
    expect(t.match('search://items?q=cats&r=5')).toEqual({ q: 'cats', r: '5' });
    expect(t.match('search://items?r=5&q=a%20b')).toEqual({ q: 'a b', r: '5' });
    expect(t.match('search://items')).toEqual({});
    expect(t.match('search://items?q=x#frag')).toEqual({ q: 'x' });
    expect(t.match('search://other?q=x')).toBeUndefined();
  });

  it('supports the label, fragment and continuation operators', () => {
    expect(compileUriTemplate('x://file{.ext}').match('x://file.txt')).toEqual({ ext: 'txt' });
    expect(compileUriTemplate('x://doc{#section}').match('x://doc#intro/part')).toEqual({ section: 'intro/part' });
    expect(compileUriTemplate('x://s?fixed=1{&page}').match('x://s?fixed=1&page=3')).toEqual({ page: '3' });
  });

  it('handles multiple simple variables in one expression and prefix modifiers', () => {
    expect(compileUriTemplate('map://{x,y}').match('map://3,4')).toEqual({ x: '3', y: '4' });
    expect(compileUriTemplate('x://{name:3}').match('x://abc')).toEqual({ name: 'abc' });
  });

  it('treats regex metacharacters in literals literally', () => {
    const t = compileUriTemplate('a.b://(x)+{id}');
    expect(t.match('a.b://(x)+1')).toEqual({ id: '1' });
    expect(t.match('aXb://(x)+1')).toBeUndefined();
  });

  it('rejects malformed templates at compile time', () => {
    expect(() => compileUriTemplate('x://{a')).toThrow(TypeError);
    expect(() => compileUriTemplate('x://a}')).toThrow(TypeError);
    expect(() => compileUriTemplate('x://{a b}')).toThrow(/Bad variable/);
  });
});
