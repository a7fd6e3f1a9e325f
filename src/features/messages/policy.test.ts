import { describe, expect, it } from 'vitest';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import type { GroupAccess } from '../groups/index.js';
import {
  assertMayAnswerRequest,
  assertMayLeave,
  assertMayRead,
  assertMaySend,
  decideStart,
  maySend,
  type RecipientFacts,
  type StartDecision,
} from './policy.js';
import type { ConversationMemberStatus, MessagePolicy } from './schema.js';

/*
 * Who may start a conversation with whom, over every combination of: the recipient's setting,
 * whether they share the group, whether the sender is a facilitator (with or without two-step
 * verification), the kind of group and its facilitators_may_message, a block, the sender's own
 * standing, a request declined before, and whether they already talk. The expected answer is
 * written from the rules as the issue and README state them, one sentence each, not from the code.
 */

type Leadership = 'peer' | 'professional';
type SenderRole = 'member' | 'facilitator' | 'facilitatorWithout2fa';
type Standing = 'good' | 'lapsed' | 'banned' | 'notMember';

interface Case {
  setting: MessagePolicy;
  shared: boolean;
  role: SenderRole;
  leadership: Leadership;
  toggle: boolean;
  blocked: boolean;
  standing: Standing;
  declinedBefore: boolean;
  known: boolean;
}

const DAY = 24 * 3600 * 1000;

/** A member in good standing writing to someone new in a peer group, all else off. */
const base: Case = {
  setting: 'shared_groups',
  shared: true,
  role: 'member',
  leadership: 'peer',
  toggle: true,
  blocked: false,
  standing: 'good',
  declinedBefore: false,
  known: false,
};

function accessFor(c: Case): GroupAccess {
  const paid = c.standing === 'lapsed';
  return {
    group: {
      id: 1,
      slug: 'g',
      name: 'G',
      leadership: c.leadership,
      facilitatorsMayMessage: c.toggle,
      joinPolicy: paid ? 'paid' : 'open',
    } as GroupAccess['group'],
    membership:
      c.standing === 'notMember'
        ? null
        : ({
            groupId: 1,
            userId: 10,
            role: c.role === 'member' ? 'member' : 'facilitator',
            feeWaived: false,
            paidUntil: paid ? new Date(Date.now() - 30 * DAY) : null,
          } as GroupAccess['membership']),
    role: c.standing === 'notMember' || c.standing === 'banned' ? null : c.role === 'member' ? 'member' : 'facilitator',
    banned: c.standing === 'banned',
    applying: false,
    alias: null,
    orgAdmin: false,
    organisation: null,
    silencedUntil: null,
    actor: { id: 10, pseudonym: 'Sender', isAdmin: false, secondFactor: c.role === 'facilitator' },
  };
}

function factsFor(c: Case): RecipientFacts {
  return {
    userId: 20,
    member: c.shared,
    whoMayMessage: c.setting,
    blocked: c.blocked,
    declinedBefore: c.declinedBefore,
    known: c.known,
  };
}

/** The rules, each on its own line, in words first. */
function expected(c: Case): StartDecision | 'forbidden' {
  // Lapsed and banned members (and non-members) cannot start conversations in that group. Only a
  // member's payment lapses: a paid group's facilitators do not pay it.
  if (c.standing === 'banned' || c.standing === 'notMember') return 'forbidden';
  if (c.standing === 'lapsed' && c.role === 'member') return 'forbidden';
  // Conversations are between members who share the group.
  if (!c.shared) return { outcome: 'refused', reason: 'messages.errors.notInGroup' };
  // A block forbids it, and the sender is not told (it waits like an unanswered request).
  if (c.blocked) return { outcome: 'held' };
  // A facilitator (holding their powers: two-step verification on) of a professionally run group
  // may always message its members, unless the group turned that off; it arrives without a request.
  const facilitator = c.role === 'facilitator';
  if (facilitator && c.leadership === 'professional' && c.toggle) return { outcome: 'direct' };
  // Someone who declined this sender before is not asked again, and the sender is not told.
  if (c.declinedBefore) return { outcome: 'held' };
  // Each member's own choice.
  if (c.setting === 'nobody') return { outcome: 'refused', reason: 'messages.errors.nobody' };
  if (c.setting === 'facilitators' && !facilitator)
    return { outcome: 'refused', reason: 'messages.errors.facilitatorsOnly' };
  // A first message from someone new is a request; someone they already talk with here writes directly.
  return c.known ? { outcome: 'direct' } : { outcome: 'request' };
}

function decide(c: Case): StartDecision | 'forbidden' {
  try {
    return decideStart(accessFor(c), factsFor(c));
  } catch (error) {
    if (error instanceof Forbidden) return 'forbidden';
    throw error;
  }
}

const every = <T>(values: readonly T[]) => values;
function* cases(): Generator<Case> {
  for (const setting of every<MessagePolicy>(['shared_groups', 'facilitators', 'nobody']))
    for (const shared of [true, false])
      for (const role of every<SenderRole>(['member', 'facilitator', 'facilitatorWithout2fa']))
        for (const leadership of every<Leadership>(['peer', 'professional']))
          for (const toggle of [true, false])
            for (const blocked of [false, true])
              for (const standing of every<Standing>(['good', 'lapsed', 'banned', 'notMember']))
                for (const declinedBefore of [false, true])
                  for (const known of [false, true])
                    yield { setting, shared, role, leadership, toggle, blocked, standing, declinedBefore, known };
}

describe('messages policy: who may start a conversation with whom', () => {
  it('answers every combination as the rules say', () => {
    const wrong: string[] = [];
    let count = 0;
    for (const c of cases()) {
      count += 1;
      const got = decide(c);
      const want = expected(c);
      if (JSON.stringify(got) !== JSON.stringify(want))
        wrong.push(`${JSON.stringify(c)}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
    expect(wrong).toEqual([]);
    expect(count).toBe(3 * 2 * 3 * 2 * 2 * 2 * 4 * 2 * 2);
  });

  it('refuses a lapsed or banned sender with the reason that applies to them', () => {
    const reason = (standing: Standing) => {
      try {
        decideStart(accessFor({ ...base, standing }), factsFor(base));
        return null;
      } catch (error) {
        return (error as Forbidden).reason;
      }
    };
    expect(reason('lapsed')).toBe('groups.errors.lapsed');
    expect(reason('banned')).toBe('groups.errors.banned');
    expect(reason('notMember')).toBe('groups.errors.joinFirst');
    expect(reason('good')).toBeNull();
  });

  it('never lets anyone write to themselves', () => {
    const access = accessFor({ ...base, role: 'facilitator', leadership: 'professional' });
    expect(
      decideStart(access, {
        userId: 10,
        member: true,
        whoMayMessage: 'shared_groups',
        blocked: false,
        declinedBefore: false,
        known: false,
      }),
    ).toEqual({ outcome: 'refused', reason: 'messages.errors.self' });
  });
});

describe('messages policy: reading, writing, answering and leaving a conversation', () => {
  const good = accessFor(base);
  const lapsed = accessFor({ ...base, standing: 'lapsed' });
  const statuses: ConversationMemberStatus[] = ['active', 'requested', 'declined', 'left'];
  const outcome = (run: () => void) => {
    try {
      run();
      return 'ok';
    } catch (error) {
      if (error instanceof NotFound) return 'notFound';
      if (error instanceof Forbidden) return `forbidden:${error.reason}`;
      if (error instanceof Invalid) return `invalid:${Object.values(error.fieldErrors).join()}`;
      throw error;
    }
  };

  it('lets those taking part read it, and someone asked to join see the request; nobody else', () => {
    expect(statuses.map((mine) => outcome(() => assertMayRead({ mine })))).toEqual([
      'ok',
      'ok',
      'notFound',
      'notFound',
    ]);
    expect(outcome(() => assertMayRead(null))).toBe('notFound');
  });

  it('lets someone write only while taking part, in good standing, with someone there to read it', () => {
    const send = (mine: ConversationMemberStatus, others: ConversationMemberStatus[], access = good) =>
      outcome(() => assertMaySend(access, { mine, others }));
    expect(send('active', ['active'])).toBe('ok');
    expect(send('active', ['left', 'active'])).toBe('ok');
    // Until someone accepts, the one who asked waits; a decline reads the same, so they are not told.
    expect(send('active', ['requested'])).toBe('invalid:messages.errors.waitingForAccept');
    expect(send('active', ['declined'])).toBe('invalid:messages.errors.waitingForAccept');
    expect(send('active', ['left'])).toBe('forbidden:messages.errors.everyoneLeft');
    for (const mine of ['requested', 'declined', 'left'] as const) expect(send(mine, ['active'])).toBe('notFound');
    expect(send('active', ['active'], lapsed)).toBe('forbidden:groups.errors.lapsed');
    expect(send('active', ['active'], { ...good, banned: true })).toBe('forbidden:groups.errors.banned');
    expect(send('active', ['active'], { ...good, membership: null })).toBe('forbidden:groups.errors.joinFirst');
  });

  it('shows the reply form under the same conditions', () => {
    expect(maySend(true, { mine: 'active', others: ['active'] })).toBe(true);
    expect(maySend(false, { mine: 'active', others: ['active'] })).toBe(false);
    expect(maySend(true, { mine: 'active', others: ['requested'] })).toBe(false);
    expect(maySend(true, { mine: 'requested', others: ['active'] })).toBe(false);
  });

  it('lets only someone asked answer a request, and only someone taking part leave', () => {
    expect(statuses.map((mine) => outcome(() => assertMayAnswerRequest({ mine })))).toEqual([
      'notFound',
      'ok',
      'notFound',
      'notFound',
    ]);
    expect(statuses.map((mine) => outcome(() => assertMayLeave({ mine })))).toEqual([
      'ok',
      'notFound',
      'notFound',
      'notFound',
    ]);
  });
});
