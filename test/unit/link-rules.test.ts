import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LinkStatus } from '../../domain/account-link.js';
import { disablePlan, linkPaymentAllowed, linkStatusMove, linkVerdict, routeLinkCallback, settleLink, type LinkWord } from '../../domain/link-rules.js';

const statuses = Object.values(LinkStatus);
const { Pending, Active, Failed, Expired, Disabled } = LinkStatus;
const finals: readonly LinkStatus[] = [Failed, Expired, Disabled];

test('linkStatusMove: pending moves anywhere, active only to disabled, the rest are final', () => {
  for (const from of statuses) {
    for (const to of statuses) {
      const expected = from === to ? 'same' : from === Pending || (from === Active && to === Disabled) ? 'move' : 'final';
      assert.equal(linkStatusMove(from, to), expected, `${from} → ${to}`);
    }
  }
});

test('routeLinkCallback: the first word decides a pending link; an ACTIVE for a closed link is revoked; the rest ignored', () => {
  for (const state of ['ACTIVE', 'FAILED', 'EXPIRED'] as const) assert.equal(routeLinkCallback(Pending, { state }), 'decisive');
  for (const status of finals) assert.equal(routeLinkCallback(status, { state: 'ACTIVE' }), 'revoke', status);
  assert.equal(routeLinkCallback(Active, { state: 'ACTIVE' }), 'ignore');
  for (const status of [Active, ...finals]) for (const state of ['FAILED', 'EXPIRED'] as const) assert.equal(routeLinkCallback(status, { state }), 'ignore');
});

test('linkVerdict and settleLink: an ACTIVE without a token fails and is revoked; an open link at the deadline expires, revoked', () => {
  assert.deepEqual(linkVerdict({ state: 'ACTIVE', hasAccountToken: true }, 'callback'), { to: Active, reason: 'account registered', revoke: false });
  assert.deepEqual(linkVerdict({ state: 'ACTIVE', hasAccountToken: false }, 'callback'), { to: Failed, reason: 'AstraPay gave no account token', revoke: true, problem: 'callback said ACTIVE without an account token' });
  assert.deepEqual(linkVerdict({ state: 'FAILED', hasAccountToken: false, reason: 'OTP wrong' }, 'callback'), { to: Failed, reason: 'OTP wrong', revoke: false });
  assert.equal(linkVerdict({ state: 'EXPIRED', hasAccountToken: false }, 'callback').to, Expired);
  assert.equal(settleLink({ state: 'ACTIVE', hasAccountToken: true }, 'status check').to, Active);
  assert.equal(settleLink({ state: 'FAILED', hasAccountToken: false }, 'status check').to, Failed);
  for (const found of ['pending', 'not-found', 'unreachable', { state: 'EXPIRED', hasAccountToken: false }, { state: 'ACTIVE', hasAccountToken: false }] as const) {
    assert.deepEqual(settleLink(found, 'status check'), { to: Expired, reason: 'the customer did not register in time', revoke: true }, JSON.stringify(found));
  }
});

test('disablePlan and linkPaymentAllowed', () => {
  assert.deepEqual(statuses.map((s) => [s, disablePlan(s)]), [[Pending, 'disable'], [Active, 'disable'], [Failed, 'refuse'], [Expired, 'refuse'], [Disabled, 'already']]);
  for (const s of statuses) {
    assert.equal(linkPaymentAllowed(s, true), s === Active);
    assert.equal(linkPaymentAllowed(s, false), false);
  }
});

/** The rules composed as the workflow composes them, over random callbacks, deadlines and disables. */
test('over random sequences: a link is active only with a token, never active again once closed, and a closed ACTIVE is revoked', () => {
  type Step = { readonly kind: 'callback' | 'deadline'; readonly word: LinkWord } | { readonly kind: 'disable' };
  const word = fc.record({ state: fc.constantFrom('ACTIVE', 'FAILED', 'EXPIRED'), hasAccountToken: fc.boolean() }) as fc.Arbitrary<LinkWord>;
  const step: fc.Arbitrary<Step> = fc.oneof(fc.record({ kind: fc.constantFrom('callback' as const, 'deadline' as const), word }), fc.constant<Step>({ kind: 'disable' }));
  fc.assert(
    fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      let status = Pending as LinkStatus;
      let token = false;
      let revoked = false;
      const seen: LinkStatus[] = [];
      const move = (to: LinkStatus, withToken = false): void => {
        if (linkStatusMove(status, to) !== 'move') return;
        status = to;
        token = to === Active && withToken;
        seen.push(to);
      };
      for (const s of steps) {
        if (s.kind === 'disable') {
          if (disablePlan(status) === 'disable') {
            move(Disabled);
            revoked = true;
          }
          continue;
        }
        const route = s.kind === 'callback' ? routeLinkCallback(status, s.word) : status === Pending ? 'decisive' : 'ignore';
        if (route === 'revoke') revoked = true;
        if (route !== 'decisive') continue;
        const v = s.kind === 'callback' ? linkVerdict(s.word, 'callback') : settleLink(s.word, 'status check');
        if (v.revoke) revoked = true;
        move(v.to, s.word.hasAccountToken);
      }
      if (status === Active) assert.ok(token, 'active without a token');
      assert.ok(seen.filter((x) => x === Active).length <= 1, 'active twice');
      const closedAt = seen.findIndex((x) => finals.includes(x));
      if (closedAt >= 0) assert.ok(!seen.slice(closedAt + 1).includes(Active), `active after ${seen[closedAt]}`);
      if (status === Disabled) assert.ok(revoked, 'disabled but never revoked');
    }),
    { numRuns: 1_000 },
  );
});
