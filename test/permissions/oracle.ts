import type { Kind, Role } from '../helpers/permission-world.js';

/*
 * Who may do what, as the README ("Group kinds and roles") says it: predicates over a role and a
 * kind of group, written from the README and never from src/ policy functions, so that the
 * permission tables (the pages' in table.ts, the JSON API's in api-*.ts) catch the code being wrong.
 */

// ---------------------------------------------------------------------------------------------
// The oracle: the README's rules as predicates.
// ---------------------------------------------------------------------------------------------

/**
 * Where the README can be read two ways, the oracle follows the code's present reading. Each is
 * named here, so that flipping one shows at once which cases the other reading would change.
 */
export const readings = {
  /**
   * "organisation admin: everything an owner can do" and "site admin: everything, everywhere"
   * could mean they start threads, reply and react in a group without joining it. The code asks
   * them to join first, like anyone; they still read, moderate and manage without joining.
   */
  adminsTakePartWithoutJoining: false,
  /**
   * "banned: nothing in that group: cannot rejoin or apply". The apply page itself is refused to a
   * banned person too, like the pay page, rather than showing questions they cannot answer.
   */
  bannedSeeApplyPage: false,
} as const;

export type Outcome = 'ok' | 'login' | 'forbidden' | 'notFound' | 'invalid';
/** One outcome, or several when the README requires a refusal but not which one (nothing is hidden). */
export type Expected = Outcome | readonly Outcome[];
export const refused: readonly Outcome[] = ['forbidden', 'notFound'];

export const signedIn = (r: Role) => r !== 'visitor';
/** Holds a membership: members (lapsed or not) and the group's own leaders. */
export const holdsMembership = (r: Role) => ['member', 'lapsed', 'moderator', 'facilitator', 'owner'].includes(r);
/** A member in good standing: "lapsed" means something only in a paid group. */
export const activeMember = (r: Role, k: Kind) => holdsMembership(r) && !(r === 'lapsed' && k.policy === 'paid');
/** Moderators and everyone above them: hide, lock, pin, review, invite, remove and ban. */
export const moderates = (r: Role) => ['moderator', 'facilitator', 'owner', 'orgAdmin', 'siteAdmin'].includes(r);
/** Facilitators and above: private notes on members, the audit log. */
export const leads = (r: Role) => ['facilitator', 'owner', 'orgAdmin', 'siteAdmin'].includes(r);
/** Owners and above: the group's settings, roles, fees and payments. */
export const manages = (r: Role) => ['owner', 'orgAdmin', 'siteAdmin'].includes(r);
/** Only organisation and site administrators verify facilitators' credentials, and run the organisation. */
export const administers = (r: Role) => r === 'orgAdmin' || r === 'siteAdmin';
/**
 * Public discussions: anyone (a banned person too: a visitor could read them). Members-only:
 * members in good standing and the group's leaders.
 */
export const readsDiscussions = (r: Role, k: Kind) => k.visibility === 'public' || activeMember(r, k) || moderates(r);
/** Starting threads, replying, reacting. */
export const takesPart = (r: Role, k: Kind) =>
  activeMember(r, k) || (readings.adminsTakePartWithoutJoining && administers(r));
/** The member list: members in good standing, and those who moderate. */
export const seesMembers = (r: Role, k: Kind) => activeMember(r, k) || moderates(r);

/** Anything but reading public pages asks a visitor to log in first. */
export const loggedIn = (r: Role, then: () => Expected): Expected => (signedIn(r) ? then() : 'login');
export const allowIf = (allowed: boolean): Outcome => (allowed ? 'ok' : 'forbidden');
/** A post or thread someone may not read is not found, the same as one that never existed. */
export const onContent = (r: Role, k: Kind, then: () => Expected): Expected =>
  loggedIn(r, () => (readsDiscussions(r, k) ? then() : 'notFound'));
