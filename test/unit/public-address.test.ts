/**
 * Notification destinations (issue 22, finding 9): the pure decisions of domain/public-address.ts. Nothing here
 * resolves or connects anywhere: addresses are only classified.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressRefusal, classifyAddress, normalizeHostname, urlRefusal, type AddressKind } from '../../domain/public-address.js';

const cases: readonly (readonly [string, AddressKind])[] = [
  // IPv4 special-purpose ranges, at their edges.
  ['0.0.0.0', 'unspecified'],
  ['0.255.255.255', 'unspecified'],
  ['10.0.0.0', 'private'],
  ['10.0.0.5', 'private'],
  ['10.255.255.255', 'private'],
  ['100.63.255.255', 'public'],
  ['100.64.0.0', 'shared'],
  ['100.127.255.255', 'shared'],
  ['100.128.0.0', 'public'],
  ['126.255.255.255', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['169.253.255.255', 'public'],
  ['172.15.255.255', 'public'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.0', 'public'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.167.255.255', 'public'],
  ['192.168.1.1', 'private'],
  ['192.169.0.0', 'public'],
  ['198.17.255.255', 'public'],
  ['198.18.0.0', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.20.0.0', 'public'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['223.255.255.255', 'public'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['8.8.8.8', 'public'],
  ['93.184.216.34', 'public'],
  // IPv6.
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'site-local'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['2001::1', 'reserved'],
  ['2002:0a00:0005::1', 'reserved'],
  ['100::1', 'reserved'],
  ['::10.0.0.5', 'reserved'],
  ['4000::1', 'reserved'],
  ['2606:4700:4700::1111', 'public'],
  ['2a00:1450:4001:80b::200e', 'public'],
  ['[2606:4700:4700::1111]', 'public'],
  ['[::1]', 'loopback'],
  // IPv4-mapped and NAT64: what is reached is the IPv4 inside.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:10.0.0.5', 'private'],
  ['::ffff:a00:5', 'private'],
  ['::FFFF:169.254.169.254', 'link-local'],
  ['0:0:0:0:0:ffff:c0a8:101', 'private'],
  ['::ffff:8.8.8.8', 'public'],
  ['64:ff9b::10.0.0.5', 'private'],
  ['64:ff9b::808:808', 'public'],
  ['64:ff9b:1::1', 'reserved'],
];

test('every special-purpose range is told apart from public addresses, at its edges, IPv4 and IPv6', () => {
  for (const [address, kind] of cases) assert.equal(classifyAddress(address)?.kind, kind, address);
});

test('an IPv4-mapped or NAT64 address names the IPv4 range inside it', () => {
  assert.deepEqual(classifyAddress('::ffff:10.0.0.5'), { kind: 'private', range: '10.0.0.0/8 (IPv4-mapped)' });
  assert.deepEqual(classifyAddress('64:ff9b::7f00:1'), { kind: 'loopback', range: '127.0.0.0/8 (NAT64)' });
});

test('host names are not addresses', () => {
  for (const host of ['localhost', 'merchant.example', '10.0.0.5.nip.io', '', '1.2.3', '::g']) assert.equal(classifyAddress(host), undefined, host);
});

test('production refuses every non-public address, naming it and its range', () => {
  assert.equal(addressRefusal('10.0.0.5', 'production'), 'notification address 10.0.0.5 is not public (private, 10.0.0.0/8)');
  assert.equal(addressRefusal('::1', 'production'), 'notification address ::1 is not public (loopback, ::1/128)');
  assert.equal(addressRefusal('::ffff:169.254.169.254', 'production'), 'notification address ::ffff:169.254.169.254 is not public (link-local, 169.254.0.0/16 (IPv4-mapped))');
  for (const [address, kind] of cases) {
    const refusal = addressRefusal(address, 'production');
    if (kind === 'public') assert.equal(refusal, undefined, address);
    else assert.match(refusal ?? '', /is not public/, address);
  }
});

test('sandbox also allows loopback and private networks (tests, demo shop, compose), and nothing else that is not public', () => {
  const sandboxAllows = new Set<AddressKind>(['public', 'loopback', 'private', 'unique-local']);
  for (const [address, kind] of cases) assert.equal(addressRefusal(address, 'sandbox') === undefined, sandboxAllows.has(kind), address);
  assert.equal(addressRefusal('127.0.0.1', 'sandbox'), undefined);
  assert.match(addressRefusal('169.254.169.254', 'sandbox') ?? '', /not public \(link-local/);
});

test('a URL is refused from what it says alone: scheme, literal address, localhost in production', () => {
  const production = { mode: 'production' } as const;
  const sandbox = { mode: 'sandbox' } as const;
  assert.equal(urlRefusal('https://merchant.example/notify', production), undefined);
  assert.equal(urlRefusal('http://93.184.216.34:8080/notify', production), undefined);
  assert.equal(urlRefusal('http://10.0.0.5/notify', production), 'notification address 10.0.0.5 is not public (private, 10.0.0.0/8)');
  assert.match(urlRefusal('http://[::ffff:127.0.0.1]/notify', production) ?? '', /not public \(loopback/);
  assert.match(urlRefusal('http://[fe80::1]/notify', production) ?? '', /not public \(link-local/);
  // The URL parser's other spellings of an IPv4 address are the address they spell.
  assert.match(urlRefusal('http://2130706433/notify', production) ?? '', /127\.0\.0\.1 is not public/);
  assert.match(urlRefusal('http://0x7f.1/notify', production) ?? '', /127\.0\.0\.1 is not public/);
  assert.match(urlRefusal('http://0/notify', production) ?? '', /0\.0\.0\.0 is not public \(unspecified/);
  assert.equal(urlRefusal('http://localhost:4000/shop/notify', production), 'notification host localhost is not public (loopback)');
  assert.equal(urlRefusal('http://LOCALHOST./notify', production), 'notification host localhost is not public (loopback)');
  assert.equal(urlRefusal('http://api.localhost/notify', production), 'notification host api.localhost is not public (loopback)');
  assert.equal(urlRefusal('ftp://merchant.example/notify', production), 'notification URL scheme ftp: is not http(s)');
  assert.equal(urlRefusal('not a url', production), 'notification URL is not a URL');
  // Sandbox: the tests and the demo shop live on loopback.
  assert.equal(urlRefusal('http://127.0.0.1:4000/shop/notify', sandbox), undefined);
  assert.equal(urlRefusal('http://localhost:4000/shop/notify', sandbox), undefined);
  assert.match(urlRefusal('http://169.254.169.254/latest/meta-data', sandbox) ?? '', /not public \(link-local/);
});

test("a merchant's notifyHosts allow those host names only, exactly (case and a trailing dot aside), in either mode", () => {
  const policy = (mode: 'sandbox' | 'production') => ({ mode, notifyHosts: ['shop.example', 'Hooks.Example.com', '[2606:4700:4700::1111]'] });
  for (const mode of ['sandbox', 'production'] as const) {
    assert.equal(urlRefusal('https://shop.example/notify', policy(mode)), undefined);
    assert.equal(urlRefusal('https://SHOP.example./notify', policy(mode)), undefined);
    assert.equal(urlRefusal('https://hooks.example.com:8443/n', policy(mode)), undefined);
    assert.equal(urlRefusal('https://[2606:4700:4700::1111]/n', policy(mode)), undefined);
    assert.equal(urlRefusal('https://evil.shop.example/notify', policy(mode)), "notification host evil.shop.example is not in the merchant's notifyHosts");
    assert.equal(urlRefusal('https://shop.example.evil.com/notify', policy(mode)), "notification host shop.example.evil.com is not in the merchant's notifyHosts");
    assert.equal(urlRefusal('http://127.0.0.1/notify', policy(mode)), "notification host 127.0.0.1 is not in the merchant's notifyHosts");
  }
  // An allow-listed name is still only notified at public addresses in production (checked on connect).
  assert.match(urlRefusal('http://10.0.0.5/n', { mode: 'production', notifyHosts: ['10.0.0.5'] }) ?? '', /not public/);
});

test('host names are compared normalized', () => {
  assert.equal(normalizeHostname(' Shop.Example. '), 'shop.example');
  assert.equal(normalizeHostname('[::1]'), '::1');
});
