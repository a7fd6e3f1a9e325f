import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type TestWorld } from '../../../test/helpers/app.js';
import { Authenticator } from '../../../test/helpers/two-factor.js';

describe('first visit to a new site', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  it('invites the first visitor to create the administrator, then never again', async () => {
    const visitor = world.agent();
    const home = await visitor.get('/');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/setup');
    const setup = await visitor.get('/setup');
    expect(textOf(setup.body)).toContain('Create the first account: it will be the site’s administrator.');
    const created = await visitor.post('/setup', {
      pseudonym: 'Keeper',
      email: 'keeper@example.org',
      password: 'a long enough password',
    });
    expect(created.statusCode).toBe(303);
    // The administrator is sent straight to two-step verification; their pages wait for it.
    expect(created.headers.location).toBe('/account/two-factor?notice=signedUpAdmin');
    const waiting = await visitor.get('/admin/outbox');
    expect(waiting.statusCode).toBe(403);
    expect(textOf(waiting.body)).toContain('Turn on two-step verification first');
    expect(waiting.body).toContain('href="/account/two-factor?next=%2Fadmin%2Foutbox"');
    const setupPage = await visitor.get('/account/two-factor?next=%2Fadmin%2Foutbox');
    const key = /<code id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(setupPage.body)![1]!.replace(/ /g, '');
    const codes = await visitor.post('/account/two-factor', {
      code: await new Authenticator(key).code(),
      next: '/admin/outbox',
    });
    expect(textOf(codes.body)).toContain('Your recovery codes');
    expect(codes.body).toContain('href="/admin/outbox"');
    const admin = await visitor.get('/admin/outbox');
    expect(admin.statusCode).toBe(200);

    const second = world.agent();
    expect((await second.get('/setup')).headers.location).toBe('/');
    const refused = await second.post('/setup', {
      pseudonym: 'Intruder',
      email: 'x@example.org',
      password: 'a long enough password',
    });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('This site has already been set up.');
  });
});

describe('accounts', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
  });
  afterAll(() => world.close());

  it('signs up with a pseudonym, shows the email only to its owner', async () => {
    const agent = world.agent();
    await agent.get('/signup');
    const res = await agent.post('/signup', {
      pseudonym: 'Quiet Fern',
      email: 'Fern@Example.org',
      password: 'sunlight through leaves',
    });
    expect(res.statusCode).toBe(303);
    const account = await agent.get('/account');
    expect(textOf(account.body)).toContain('fern@example.org');
    expect(textOf(account.body)).toContain('Quiet Fern');
    const groups = await agent.get('/groups');
    expect(groups.body).not.toContain('fern@example.org');
  });

  it.each([
    [
      { pseudonym: 'x', email: 'a@example.org', password: 'long enough pw' },
      'Your public name needs 2 to 40 characters.',
    ],
    [
      { pseudonym: 'y'.repeat(41), email: 'a@example.org', password: 'long enough pw' },
      'Your public name needs 2 to 40 characters.',
    ],
    [
      { pseudonym: 'Valid Name', email: 'not-an-email', password: 'long enough pw' },
      'Enter an email address like name@example.org.',
    ],
    [
      { pseudonym: 'Valid Name', email: 'a@example.org', password: 'short' },
      'Your password needs 10 to 200 characters.',
    ],
    [{ pseudonym: '<script>', email: 'a@example.org', password: 'long enough pw' }, 'Use letters, numbers, spaces'],
  ])('refuses %j with a clear message and keeps what was typed', async (form, message) => {
    const agent = world.agent();
    const res = await agent.post('/signup', form);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain(message);
    expect(res.body).toContain(`value="${form.email}"`);
    expect(res.body).not.toContain(form.password);
  });

  it('keeps pseudonyms unique whatever their case, and does not reveal a registered email', async () => {
    await world.createUser('Morning Tide');
    const agent = world.agent();
    const clash = await agent.post('/signup', {
      pseudonym: 'morning tide',
      email: 'new@example.org',
      password: 'long enough pw',
    });
    expect(textOf(clash.body)).toContain('Someone already uses that public name.');
    const sameEmail = await agent.post('/signup', {
      pseudonym: 'Another One',
      email: 'morningtide@example.org',
      password: 'long enough pw',
    });
    expect(sameEmail.statusCode).toBe(400);
    expect(textOf(sameEmail.body)).toContain('We could not create an account with these details.');
    expect(textOf(sameEmail.body)).not.toContain('already registered');
  });

  it('logs in and out, with one message for a wrong password and an unknown email', async () => {
    const user = await world.createUser('River Stone');
    const agent = world.agent();
    const wrong = await agent.post('/login', { email: user.email, password: 'wrong password here' });
    const unknown = await agent.post('/login', { email: 'nobody@example.org', password: 'wrong password here' });
    expect(wrong.statusCode).toBe(400);
    expect(textOf(wrong.body)).toContain('That email and password do not match an account.');
    expect(textOf(unknown.body)).toContain('That email and password do not match an account.');
    await agent.logIn(user.email, user.password);
    expect(textOf((await agent.get('/account')).body)).toContain('River Stone');
    const out = await agent.post('/logout');
    expect(out.headers.location).toBe('/?notice=loggedOut');
    expect((await agent.get('/account')).headers.location).toBe('/login?next=%2Faccount');
  });

  it('logs out of all devices', async () => {
    const user = await world.createUser('Two Phones');
    const phone = world.agent();
    const laptop = world.agent();
    await phone.logIn(user.email, user.password);
    await laptop.logIn(user.email, user.password);
    expect(textOf((await laptop.get('/account/security')).body)).toContain('logged in on 2 devices');
    await laptop.post('/logout-everywhere');
    expect((await phone.get('/account')).statusCode).toBe(303);
    expect((await laptop.get('/account')).statusCode).toBe(303);
  });

  it('changes the password, ending other sessions', async () => {
    const user = await world.createUser('New Leaf');
    const agent = world.agent();
    const other = world.agent();
    await agent.logIn(user.email, user.password);
    await other.logIn(user.email, user.password);
    await agent.get('/account');
    const wrong = await agent.post('/account/password', {
      currentPassword: 'not it at all',
      newPassword: 'a brand new password',
    });
    expect(textOf(wrong.body)).toContain('That is not your current password.');
    const ok = await agent.post('/account/password', {
      currentPassword: user.password,
      newPassword: 'a brand new password',
    });
    expect(ok.headers.location).toBe('/account?notice=passwordChanged');
    expect((await other.get('/account')).statusCode).toBe(303);
    expect((await agent.get('/account')).statusCode).toBe(200);
    const fresh = world.agent();
    await expect(fresh.logIn(user.email, user.password)).rejects.toThrow();
    await fresh.logIn(user.email, 'a brand new password');
  });

  it('resets a forgotten password by email without revealing who has an account', async () => {
    const user = await world.createUser('Forgetful');
    const agent = world.agent();
    await agent.get('/forgot-password');
    const known = await agent.post('/forgot-password', { email: user.email });
    const unknown = await agent.post('/forgot-password', { email: 'ghost@example.org' });
    expect(textOf(known.body)).toBe(textOf(unknown.body));
    const mail = (await world.outbox()).find((m) => m.to === user.email);
    expect(mail?.subject).toBe('Choose a new password for Mutual');
    const link = /http:\/\/localhost:3000(\/reset-password\/\S+)/.exec(mail!.text)![1]!;
    expect((await agent.get(link)).statusCode).toBe(200);
    const done = await agent.post(link, { newPassword: 'remembered at last' });
    expect(done.headers.location).toBe('/login?notice=passwordChanged');
    expect((await agent.get(link)).statusCode).toBe(410);
    await world.agent().logIn(user.email, 'remembered at last');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const user = await world.createUser('Careful');
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    const res = await agent.post('/logout-everywhere', {}, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain('That form had expired');
    const forged = await agent.post('/logout-everywhere', {}, { csrf: 'forged-token' });
    expect(forged.statusCode).toBe(403);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const user = await world.createUser('Cookie Check');
    const agent = world.agent();
    await agent.get('/login');
    const res = await agent.post('/login', { email: user.email, password: user.password });
    const cookie = res.cookies.find((c) => c.name === 'mutual_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });
});

describe('rate limits', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld({ limits: { logIn: { max: 3, timeWindow: 60_000 } } });
    await world.createUser('Admin');
  });
  afterAll(() => world.close());

  it('slows down repeated login attempts', async () => {
    const agent = world.agent();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await agent.post('/login', { email: 'a@example.org', password: 'guessing guess' })).statusCode);
    expect(statuses).toEqual([400, 400, 400, 429]);
  });
});
