import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { Receiver, signatureValid } from '../../../test/helpers/webhook-receiver.js';
import { Invalid } from '../../platform/errors.js';
import { acceptedVersion } from '../agreements/index.js';
import { groups, memberships } from '../groups/schema.js';
import { webhooks } from '../webhooks/schema.js';
import type { Checkout, PaymentProvider } from './providers.js';
import { hardshipRequests } from './schema.js';
import { startCardPayment } from './service.js';

/*
 * Coming into a paid group with agreements, as the free join does: the pay page's forms ask for
 * "I accept", refuse without it and keep what was typed; the acceptance is written when the
 * person's own step is stored (a waiver request) or, for a card payment, travels with it and is
 * written as the membership begins; every new member is welcomed, and the group's webhooks hear
 * "member.joined" however they came in.
 */

const STRIPE = { secretKey: 'sk_test_mutual', webhookSecret: 'whsec_test_mutual' };
const AGREEMENTS = '## Our agreements\n\n- What is said here stays here.';
const WELCOME = 'Hello and welcome, **friend**.';
const MUST_TICK = 'Please read the group’s agreements and tick “I accept” to come in.';
const today = () => new Date().toISOString().slice(0, 10);

let world: TestWorld;
let receiver: Receiver;
let made = 0;
const db = () => world.database.db;

beforeAll(async () => {
  world = await createWorld({ stripe: STRIPE, webhooks: { allowPrivateAddresses: true } });
  receiver = await Receiver.start();
  await world.createUser('Site Admin');
});
afterEach(() => receiver.reset());
afterAll(async () => {
  await receiver?.close();
  await world?.close();
});

async function person(name: string): Promise<{ user: { id: number; pseudonym: string }; agent: Agent }> {
  made += 1;
  const user = await world.createUser(`${name} ${made}`);
  const agent = world.agent();
  await agent.logIn(user.email, user.password);
  return { user, agent };
}

/**
 * A paid group (£10 a month, or from £5 on the sliding scale) with agreements and a welcome, its
 * owner logged in, and a webhook told of new members.
 */
async function paidGroupWithAgreements(minimumCents: number | null = null) {
  const owner = await person('Owner');
  const group = await makeGroup(world, owner.user);
  await db()
    .update(groups)
    .set({
      joinPolicy: 'paid',
      feeAmountCents: 1000,
      feeMinimumCents: minimumCents,
      feeCurrency: 'GBP',
      feeInterval: 'month',
    })
    .where(eq(groups.id, group.id));
  await owner.agent.get(`/g/${group.slug}/agreements/edit`);
  const saved = await owner.agent.post(`/g/${group.slug}/agreements/edit`, {
    body: AGREEMENTS,
    welcomeMessage: WELCOME,
  });
  expect(saved.statusCode).toBe(303);
  const secret = `whsec_joining-${group.id}`;
  await db()
    .insert(webhooks)
    .values({ groupId: group.id, url: receiver.url(), secret, events: ['member.joined'] });
  return { group, owner: owner.agent, secret };
}

async function isMember(groupId: number, userId: number): Promise<boolean> {
  const rows = await db()
    .select()
    .from(memberships)
    .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)));
  return rows.length > 0;
}

/** The member.joined deliveries the receiver got, as the names they carry. */
function joinedNames(secret: string): unknown[] {
  return receiver.received.map((r) => {
    expect(signatureValid(secret, r)).toBe(true);
    const body = JSON.parse(r.body) as { type: string; data: { member: { name: string } } };
    expect(body.type).toBe('member.joined');
    return body.data.member.name;
  });
}

/** The group's welcome on the person's notifications page, as many times as it is there. */
async function welcomes(agent: Agent): Promise<number> {
  const page = (await agent.get('/notifications')).body;
  return page.split('Hello and welcome, <strong>friend</strong>.').length - 1;
}

const post = (agent: Agent, slug: string) =>
  agent.post(`/g/${slug}/threads/new`, { title: 'Hello everyone', body: 'Glad to be here with you all.' });

/** A Stripe "checkout completed" event, signed with the webhook secret, for the metadata given. */
function signedCheckout(sessionId: string, metadata: Record<string, string>) {
  const payload = JSON.stringify({
    id: `evt_${sessionId}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: sessionId,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        amount_total: 1000,
        currency: 'gbp',
        metadata,
      },
    },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE.webhookSecret });
  return world.app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    payload,
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
  });
}

describe('joining a paid group that has agreements', () => {
  it('asks on both of the pay page’s forms, and refuses either without the tick, keeping what was typed', async () => {
    const { group } = await paidGroupWithAgreements(500);
    const { user, agent } = await person('Careful Payer');
    const page = await agent.get(`/g/${group.slug}/pay`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body).split('I accept the group’s agreements')).toHaveLength(3);
    // Two forms, two boxes, each with its own id.
    expect(page.body).toContain('id="field-card-acceptAgreements"');
    expect(page.body).toContain('id="field-waiver-acceptAgreements"');
    expect(page.body).toContain(`href="/g/${group.slug}/agreements"`);

    const card = await agent.post(`/g/${group.slug}/pay/card`, { amount: '7.50' });
    expect(card.statusCode).toBe(400);
    expect(textOf(card.body)).toContain(MUST_TICK);
    expect(textOf(card.body).split(MUST_TICK)).toHaveLength(2);
    expect(card.body).toContain('id="card-acceptAgreements-error"');
    expect(card.body).not.toContain('id="waiver-acceptAgreements-error"');
    expect(card.body).toContain('value="7.50"');

    const message = 'I lost my job and cannot pay this month.';
    const waiver = await agent.post(`/g/${group.slug}/pay/waiver`, { message });
    expect(waiver.statusCode).toBe(400);
    expect(textOf(waiver.body)).toContain(MUST_TICK);
    expect(waiver.body).toContain('id="waiver-acceptAgreements-error"');
    expect(waiver.body).not.toContain('id="card-acceptAgreements-error"');
    expect(waiver.body).toContain(message);

    expect(await db().select().from(hardshipRequests).where(eq(hardshipRequests.groupId, group.id))).toEqual([]);
    expect(await acceptedVersion(db(), group.id, user.id)).toBe(0);
    expect(await isMember(group.id, user.id)).toBe(false);
  });

  it('carries the tick of a card payment to its confirmation, and writes it as the membership begins', async () => {
    const { group, secret } = await paidGroupWithAgreements();
    const { user, agent } = await person('Card Payer');
    const started: Checkout[] = [];
    const provider: PaymentProvider<unknown> = {
      name: 'stripe',
      start: async (checkout) => {
        started.push(checkout);
        return { kind: 'redirect', url: 'https://checkout.example/session' };
      },
      confirm: () => null,
    };
    const actor = { id: user.id, pseudonym: user.pseudonym, isAdmin: false };
    const links = () => ({ description: 'Membership', successUrl: 'http://x/ok', cancelUrl: 'http://x/no' });
    // Without the tick, Stripe is never called.
    await expect(startCardPayment(db(), provider, actor, group.slug, {}, links)).rejects.toThrow(Invalid);
    expect(started).toHaveLength(0);
    await startCardPayment(db(), provider, actor, group.slug, { acceptAgreements: 'on' }, links);
    expect(started[0]).toMatchObject({ groupId: group.id, userId: user.id, agreementsVersion: 1 });
    // Nothing is written until the money arrives.
    expect(await acceptedVersion(db(), group.id, user.id)).toBe(0);

    const metadata = { groupId: String(group.id), userId: String(user.id), agreementsVersion: '1' };
    expect((await signedCheckout(`cs_ticked_${group.id}`, metadata)).statusCode).toBe(200);
    expect(await isMember(group.id, user.id)).toBe(true);
    expect(await acceptedVersion(db(), group.id, user.id)).toBe(1);
    expect(await welcomes(agent)).toBe(1);
    expect((await post(agent, group.slug)).statusCode).toBe(303);
    await world.tick();
    expect(joinedNames(secret)).toEqual([user.pseudonym]);

    // Stripe delivering it again changes nothing: no second welcome, no second event.
    receiver.reset();
    expect((await signedCheckout(`cs_ticked_${group.id}`, metadata)).statusCode).toBe(200);
    await world.tick();
    expect(receiver.received).toHaveLength(0);
    expect(await welcomes(agent)).toBe(1);
  });

  it('asks a member who paid without ticking (to the treasurer) to accept before posting; renewing asks nothing', async () => {
    const { group, owner, secret } = await paidGroupWithAgreements();
    const { user, agent } = await person('Pays In Person');
    await owner.get(`/g/${group.slug}/payments`);
    const paid = { pseudonym: user.pseudonym, amount: '10', receivedOn: today() };
    expect((await owner.post(`/g/${group.slug}/payments`, paid)).statusCode).toBe(303);
    expect(await isMember(group.id, user.id)).toBe(true);
    expect(await welcomes(agent)).toBe(1);
    await world.tick();
    expect(joinedNames(secret)).toEqual([user.pseudonym]);

    const refused = await post(agent, group.slug);
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('Please read and accept them before you post.');
    await agent.get(`/g/${group.slug}/agreements`);
    expect((await agent.post(`/g/${group.slug}/agreements/accept`)).statusCode).toBe(303);
    expect((await post(agent, group.slug)).statusCode).toBe(303);

    // A member renewing has come in already: no box, no second welcome, no second event.
    const renew = textOf((await agent.get(`/g/${group.slug}/pay`)).body);
    expect(renew).toContain('Your membership is paid until');
    expect(renew).not.toContain('I accept the group’s agreements');
    receiver.reset();
    expect((await owner.post(`/g/${group.slug}/payments`, paid)).statusCode).toBe(303);
    await world.tick();
    expect(receiver.received).toHaveLength(0);
    expect(await welcomes(agent)).toBe(1);
  });

  it('writes the acceptance with a waiver request, and welcomes the member when the owner grants it', async () => {
    const { group, owner, secret } = await paidGroupWithAgreements();
    const { user, agent } = await person('Short On Money');
    await agent.get(`/g/${group.slug}/pay`);
    const asked = await agent.post(`/g/${group.slug}/pay/waiver`, {
      message: 'I lost my job and cannot pay this month.',
      acceptAgreements: 'on',
    });
    expect(asked.statusCode).toBe(303);
    expect(await acceptedVersion(db(), group.id, user.id)).toBe(1);
    expect(await isMember(group.id, user.id)).toBe(false);
    await world.tick();
    expect(receiver.received).toHaveLength(0);

    const [request] = await db().select().from(hardshipRequests).where(eq(hardshipRequests.userId, user.id));
    await owner.get(`/g/${group.slug}/payments`);
    const grant = await owner.post(`/g/${group.slug}/payments/waivers/${request!.id}/grant`);
    expect(grant.statusCode).toBe(303);
    expect(await isMember(group.id, user.id)).toBe(true);
    expect(await welcomes(agent)).toBe(1);
    expect((await post(agent, group.slug)).statusCode).toBe(303);
    await world.tick();
    expect(joinedNames(secret)).toEqual([user.pseudonym]);
  });
});
