import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachableUrl } from '../../sandbox/callback-dispatcher.js';

test('a notify URL on the gateway\'s public origin is delivered where the sandbox reaches the gateway (compose: localhost:3000 → api:3000)', () => {
  assert.equal(reachableUrl('http://localhost:3000/callbacks/dana', 'http://localhost:3000', 'http://api:3000/callbacks/dana'), 'http://api:3000/callbacks/dana');
  assert.equal(reachableUrl('http://localhost:3000/callbacks/dana?x=1', 'http://localhost:3000/', 'http://api:3000/callbacks/ovo'), 'http://api:3000/callbacks/dana?x=1', 'the path is the URL\'s own (it is what DANA signs)');
});

test('any other URL is delivered as given', () => {
  assert.equal(reachableUrl('https://merchant.example/notify', 'http://localhost:3000', 'http://api:3000/callbacks/dana'), 'https://merchant.example/notify');
  assert.equal(reachableUrl('http://localhost:3000/callbacks/dana', undefined, 'http://api:3000/callbacks/dana'), 'http://localhost:3000/callbacks/dana');
  assert.equal(reachableUrl('not a url', 'http://localhost:3000', 'http://api:3000/x'), 'not a url');
});
