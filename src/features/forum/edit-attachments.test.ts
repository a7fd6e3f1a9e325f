import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClientFor } from '../../../test/helpers/api.js';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { defaultPostingLimits } from '../../platform/deps.js';
import { files } from '../files/schema.js';

/*
 * Editing a post's photos and files (issue 16): the author keeps, removes and adds them, and
 * changes a photo's description; a removed file is gone from the page, from its address and from
 * the storage; a refused edit changes nothing; the JSON API's edit leaves them alone.
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

/** The public ids of the uploads a form keeps (its hidden fields), in order. */
const keptIn = (page: string) => [...page.matchAll(/name="attachment" value="([A-Za-z0-9_-]+)"/g)].map((m) => m[1]!);

/** The public ids of the files a page links to, in order. */
const fileIdsIn = (page: string) => [...new Set([...page.matchAll(/\/files\/([A-Za-z0-9_-]+)\//g)].map((m) => m[1]!))];

describe('editing a post’s photos and files', { timeout: 120_000 }, () => {
  let world: TestWorld;
  let willow: Agent;
  let willowId: number;
  let rowan: Agent;
  let slug: string;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Owner');
    slug = (await makeGroup(world, owner, { name: 'Garden Friends' })).slug;
    const w = await world.createUser('Willow');
    willowId = w.id;
    willow = world.agent();
    await willow.logIn(w.email, w.password);
    rowan = await world.member('Rowan');
    for (const agent of [willow, rowan]) await agent.post(`/g/${slug}/join`);
  }, 120_000);
  afterAll(() => world.close());

  /** A thread of Willow's with a photo and a text file; its address, opening post and the files' ids. */
  async function threadWithFiles(title: string) {
    const res = await willow.postMultipart(
      `/g/${slug}/threads/new`,
      form({ title, body: 'Our beds this week.', alt: 'Tomato plants' }, [
        { name: 'beds.jpg', bytes: await photo('#3a7d44') },
        { name: 'notes.txt', bytes: Buffer.from('Water on Tuesdays.\n') },
      ]),
    );
    expect(res.statusCode).toBe(303);
    const url = (res.headers.location as string).split('?')[0]!;
    const page = await willow.get(url);
    const postId = Number(/\/posts\/(\d+)\/edit/.exec(page.body)![1]);
    const [photoId, notesId] = fileIdsIn(page.body);
    return { url, postId, photoId: photoId!, notesId: notesId! };
  }

  const storageKeysOf = async (publicId: string) => {
    const [row] = await world.database.db.select().from(files).where(eq(files.publicId, publicId));
    return row ? [row.storageKey, ...row.variants.map((v) => v.key)] : [];
  };

  it('lists the files on the edit form, each with its description and a remove box', async () => {
    const { postId, photoId, notesId } = await threadWithFiles('Listed');
    const page = await willow.get(`/posts/${postId}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('name="attachmentsListed" value="1"');
    for (const id of [photoId, notesId]) {
      expect(page.body).toContain(`<input type="hidden" name="attachment" value="${id}"/>`);
      expect(page.body).toContain(`id="remove-${id}"`);
    }
    expect(page.body).toMatch(new RegExp(`name="alt-${photoId}"[^>]*value="Tomato plants"`));
    expect(textOf(page.body)).toContain('Tick “Remove” to take one off');
    // Someone else's post has no edit form, and stores nothing.
    expect((await rowan.get(`/posts/${postId}/edit`)).statusCode).toBe(404);
    const intruder = await rowan.postMultipart(
      `/posts/${postId}/edit`,
      form({ body: 'Mine now', attachmentsListed: '1' }, [{ name: 'x.txt', bytes: Buffer.from('hello\n') }]),
    );
    expect(intruder.statusCode).toBe(404);
  });

  it('removes one file (deleted from its address and the storage), adds another and changes a description', async () => {
    const { url, postId, photoId, notesId } = await threadWithFiles('Changing');
    const notesKeys = await storageKeysOf(notesId);
    expect(notesKeys.length).toBeGreaterThan(0);
    expect(await world.files.get(notesKeys[0]!)).not.toBeNull();
    const res = await willow.postMultipart(
      `/posts/${postId}/edit`,
      form(
        {
          title: 'Changing',
          body: 'Our beds this week, and the shed.',
          attachmentsListed: '1',
          attachment: [photoId, notesId],
          remove: notesId,
          [`alt-${photoId}`]: 'Tomato plants, staked',
          alt: 'A green shed',
        },
        [{ name: 'shed.jpg', bytes: await photo('#2255aa') }],
      ),
    );
    expect(res.statusCode).toBe(303);
    const page = await rowan.get(url);
    expect(page.body).toContain('alt="Tomato plants, staked"');
    expect(page.body).toContain('alt="A green shed"');
    expect(textOf(page.body)).not.toContain('notes.txt');
    const ids = fileIdsIn(page.body);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(photoId);
    expect(ids).not.toContain(notesId);
    // Gone for everyone, its author too, and from the storage: not left for a later sweep.
    expect((await rowan.get(`/files/${notesId}/main`)).statusCode).toBe(404);
    expect((await willow.get(`/files/${notesId}/main`)).statusCode).toBe(404);
    for (const key of notesKeys) expect(await world.files.get(key)).toBeNull();
    expect(await storageKeysOf(notesId)).toEqual([]);
    expect((await rowan.get(`/files/${ids[1]}/main`)).statusCode).toBe(200);
  });

  it('keeps everything when the edit is refused, and shows the form as it was left', async () => {
    const { url, postId, photoId, notesId } = await threadWithFiles('Refused');
    const res = await willow.postMultipart(
      `/posts/${postId}/edit`,
      form(
        {
          title: 'Refused',
          body: '   ',
          attachmentsListed: '1',
          attachment: [photoId, notesId],
          remove: notesId,
          [`alt-${photoId}`]: 'Changed words',
        },
        [{ name: 'more notes.txt', bytes: Buffer.from('Compost on Fridays.\n') }],
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Write a message before posting.');
    // The form as it was left: the photo with its new words, the new file, the removed one gone.
    const kept = keptIn(res.body);
    expect(kept).toHaveLength(2);
    expect(kept[0]).toBe(photoId);
    expect(res.body).toMatch(new RegExp(`name="alt-${photoId}"[^>]*value="Changed words"`));
    expect(textOf(res.body)).toContain('Attached: more notes.txt');
    expect(textOf(res.body)).not.toContain('Attached: notes.txt');
    expect(res.body).toContain('name="attachmentsListed" value="1"');
    // Nothing changed: the words, both files and the photo's description are as they were.
    const page = await rowan.get(url);
    expect(textOf(page.body)).toContain('Our beds this week.');
    expect(page.body).toContain('alt="Tomato plants"');
    expect(textOf(page.body)).toContain('notes.txt');
    expect((await rowan.get(`/files/${notesId}/main`)).statusCode).toBe(200);
    // The new upload is the author's alone until the edit is saved.
    const added = kept[1]!;
    expect((await willow.get(`/files/${added}/main`)).statusCode).toBe(200);
    expect((await rowan.get(`/files/${added}/main`)).statusCode).toBe(404);
  });

  it('leaves the files alone when the post is edited without its list (the JSON API, an old form)', async () => {
    const { url, postId, photoId, notesId } = await threadWithFiles('Through the API');
    const api = await apiClientFor(world.app, world.database.db, willowId);
    const edited = await api.patch(`/api/v1/posts/${postId}`, { body: 'Edited by my app.' });
    expect(edited.statusCode, edited.body).toBe(200);
    const plain = await willow.post(`/posts/${postId}/edit`, { title: 'Through the API', body: 'Edited again.' });
    expect(plain.statusCode).toBe(303);
    const page = await rowan.get(url);
    expect(textOf(page.body)).toContain('Edited again.');
    expect(fileIdsIn(page.body)).toEqual([photoId, notesId]);
  });
});

describe('editing and trust levels', () => {
  it('holds an edit’s new pictures to the link limit, as posting does', { timeout: 120_000 }, async () => {
    const world = await createWorld({ postingLimits: defaultPostingLimits });
    try {
      const owner = await world.createUser('Owner');
      const slug = (await makeGroup(world, owner)).slug;
      const newcomer = await world.member('New Here');
      await newcomer.post(`/g/${slug}/join`);
      const made = await newcomer.post(`/g/${slug}/threads/new`, { title: 'Hello all', body: 'My first post.' });
      expect(made.statusCode).toBe(303);
      const page = await newcomer.get((made.headers.location as string).split('?')[0]!);
      const postId = Number(/\/posts\/(\d+)\/edit/.exec(page.body)![1]);
      const res = await newcomer.postMultipart(
        `/posts/${postId}/edit`,
        form({ title: 'Hello all', body: 'My first post, with me.', attachmentsListed: '1', alt: 'Me smiling' }, [
          { name: 'me.jpg', bytes: await photo('#aa5522') },
        ]),
      );
      expect(res.statusCode).toBe(400);
      expect(textOf(res.body)).toContain('can’t share links or pictures');
      expect(res.body).toContain('My first post, with me.');
      expect(textOf(res.body)).toContain('Attached: photo.jpeg');
    } finally {
      await world.close();
    }
  });
});
