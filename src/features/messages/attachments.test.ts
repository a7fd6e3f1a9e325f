import { count } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createWorld, textOf } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { defaultPostingLimits } from '../../platform/deps.js';
import { files } from '../files/schema.js';

/*
 * Photos and files in private messages (issue 16): a conversation can start with them, as a reply
 * in one can; and a new account cannot send privately the pictures it could not post.
 */

const photo = (background: string) =>
  sharp({ create: { width: 320, height: 240, channels: 3, background } })
    .jpeg()
    .toBuffer();

function form(fields: Record<string, string | string[]>, uploads: { name: string; bytes: Buffer }[] = []) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) fd.append(k, item);
  for (const f of uploads) fd.append('file', new Blob([new Uint8Array(f.bytes)]), f.name);
  return fd;
}

/** The public ids of the files a page links to, in order. */
const fileIdsIn = (page: string) => [...new Set([...page.matchAll(/\/files\/([A-Za-z0-9_-]+)\//g)].map((m) => m[1]!))];

const conversationOf = (location: string) => Number(/\/messages\/(\d+)/.exec(location)![1]);

describe('starting a conversation with a photo', () => {
  it('shows it to the person written to, and to nobody else', { timeout: 120_000 }, async () => {
    const world = await createWorld();
    try {
      const owner = await world.createUser('Owner');
      const slug = (await makeGroup(world, owner)).slug;
      const [ana, bo, cy] = [await world.member('Ana'), await world.member('Bo'), await world.member('Cy')];
      for (const agent of [ana, bo, cy]) await agent.post(`/g/${slug}/join`);
      const outsider = await world.member('Passer By');

      const blank = await ana.get(`/messages/new?group=${slug}&to=Bo`);
      expect(blank.body).toContain('enctype="multipart/form-data"');
      expect(blank.body).toContain('type="file"');
      // Someone who may not write in the group stores nothing.
      const stored = async () => (await world.database.db.select({ n: count() }).from(files))[0]!.n;
      const before = await stored();
      const intruder = await outsider.postMultipart(
        '/messages/new',
        form({ group: slug, to: 'Bo', body: 'Hello', alt: 'x' }, [{ name: 'a.jpg', bytes: await photo('#111111') }]),
      );
      expect(intruder.statusCode).toBe(403);
      expect(await stored()).toBe(before);

      // A photo without its description: the form comes back with the words and the photo kept.
      const missing = await ana.postMultipart(
        '/messages/new',
        form({ group: slug, to: 'Bo', body: 'Our new puppy!' }, [{ name: 'puppy.jpg', bytes: await photo('#8b5a2b') }]),
      );
      expect(missing.statusCode).toBe(400);
      expect(textOf(missing.body)).toContain('Please describe this photo');
      expect(missing.body).toContain('Our new puppy!');
      const [id] = fileIdsIn(missing.body);
      expect(missing.body).toContain(`<input type="hidden" name="attachment" value="${id}"/>`);

      const sent = await ana.postMultipart(
        '/messages/new',
        form({ group: slug, to: 'Bo', body: 'Our new puppy!', attachment: id!, [`alt-${id}`]: 'A brown puppy asleep' }),
      );
      expect(sent.statusCode).toBe(303);
      const talk = conversationOf(sent.headers.location as string);
      expect((await bo.post(`/messages/${talk}/accept`)).statusCode).toBe(303);
      const seen = await bo.get(`/messages/${talk}`);
      expect(seen.body).toContain('alt="A brown puppy asleep"');
      expect(fileIdsIn(seen.body)).toEqual([id]);
      expect((await bo.get(`/files/${id}/main`)).statusCode).toBe(200);
      expect((await cy.get(`/files/${id}/main`)).statusCode).toBe(404);
      expect((await outsider.get(`/files/${id}/main`)).statusCode).toBe(404);
      expect((await world.agent().get(`/files/${id}/main`)).statusCode).toBe(404);

      // Writing to Bo again from the form goes to the same conversation, photo and all.
      const again = await ana.postMultipart(
        '/messages/new',
        form({ group: slug, to: 'Bo', body: 'And now awake.', alt: 'The puppy, awake' }, [
          { name: 'awake.jpg', bytes: await photo('#c08040') },
        ]),
      );
      expect(again.statusCode).toBe(303);
      expect(conversationOf(again.headers.location as string)).toBe(talk);
      expect((await bo.get(`/messages/${talk}`)).body).toContain('alt="The puppy, awake"');
    } finally {
      await world.close();
    }
  });
});

describe('private messages and trust levels', () => {
  it('keeps pictures out of a new account’s messages, as out of its posts', { timeout: 120_000 }, async () => {
    const world = await createWorld({ postingLimits: defaultPostingLimits });
    try {
      const owner = await world.createUser('Owner');
      const slug = (await makeGroup(world, owner)).slug;
      const [newcomer, friend] = [await world.member('New Here'), await world.member('Friend')];
      for (const agent of [newcomer, friend]) await agent.post(`/g/${slug}/join`);

      const refused = await newcomer.postMultipart(
        '/messages/new',
        form({ group: slug, to: 'Friend', body: 'Hello, this is me.', alt: 'Me smiling' }, [
          { name: 'me.jpg', bytes: await photo('#aa5522') },
        ]),
      );
      expect(refused.statusCode).toBe(400);
      expect(textOf(refused.body)).toContain('can’t share links or pictures');
      expect(refused.body).toContain('Hello, this is me.');
      expect(textOf(refused.body)).toContain('Attached: photo.jpeg');

      // Words alone go; a reply with a file is held to the same limit.
      const sent = await newcomer.post('/messages/new', { group: slug, to: 'Friend', body: 'Hello, this is me.' });
      expect(sent.statusCode).toBe(303);
      const talk = conversationOf(sent.headers.location as string);
      expect((await friend.post(`/messages/${talk}/accept`)).statusCode).toBe(303);
      const reply = await newcomer.postMultipart(
        `/messages/${talk}`,
        form({ body: 'Here are my notes.' }, [{ name: 'notes.txt', bytes: Buffer.from('Some notes.\n') }]),
      );
      expect(reply.statusCode).toBe(400);
      expect(textOf(reply.body)).toContain('can’t share links or pictures');
      expect(reply.body).toContain('Here are my notes.');
      expect(textOf(reply.body)).toContain('Attached: notes.txt');
    } finally {
      await world.close();
    }
  });
});
