import { allowIf, loggedIn, manages, readsDiscussions, takesPart } from './oracle.js';
import sharp from 'sharp';
import type { GroupCase, SiteCase } from './cases.js';
import { permissionWorld } from './cases.js';
import { attachFiles, fileUrl, storeUpload } from '../../src/features/files/index.js';

/** The permission table's cases for images and files (run by table.ts with the rest). */
export const groupCases: GroupCase[] = [
  // Uploading at once (attach.js): a form without a file is refused as invalid to whoever may post.
  {
    method: 'POST',
    route: '/uploads',
    label: 'a group',
    request: (g) => ({ url: `/uploads?place=g:${g.slug}`, form: {} }),
    expect: (r, k) => loggedIn(r, () => (takesPart(r, k) ? 'invalid' : 'forbidden')),
  },
  {
    method: 'GET',
    route: '/g/:slug/settings/files',
    request: (g) => ({ url: `/g/${g.slug}/settings/files` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/settings/files',
    // The defaults (photos and files allowed), so that later cases find the group as it was.
    request: (g) => ({ url: `/g/${g.slug}/settings/files`, form: { imagesAllowed: 'on', filesAllowed: 'on' } }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
];
export const siteCases: SiteCase[] = [
  // For a private message: anyone signed in; without a file, invalid.
  {
    method: 'POST',
    route: '/uploads',
    label: 'a private message',
    request: () => ({ url: '/uploads?place=pm', form: {} }),
    expect: (r) => loggedIn(r, () => 'invalid'),
  },
];

// ---------------------------------------------------------------------------------------------
// Serving files (src/features/files/serve-routes.ts): GET /files/:publicId/:variant.
// ---------------------------------------------------------------------------------------------

/** A small photo; processed like any upload (re-encoded, with its variants). */
const photo = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: '#2a6' } })
    .png()
    .toBuffer();
const LIMITS = { maxBytes: 1024 * 1024, images: true, files: true };
const MISSING_FILE = fileUrl('NoSuchFileNoSuchFile00', 'main');

/** A photo the member attached to their published opening post in the group, made once per group. */
const postPhotos = new Map<number, Promise<string>>();
function photoInPost(groupId: number, postId: number): Promise<string> {
  let made = postPhotos.get(groupId);
  if (!made) {
    const pw = permissionWorld();
    const db = pw.world.database.db;
    const member = pw.people.member.id;
    made = (async () => {
      const bytes = await photo();
      const row = await storeUpload(
        { db, files: pw.world.files },
        { uploaderId: member, groupId, name: 'garden.png', bytes },
        LIMITS,
      );
      await db.transaction((tx) => attachFiles(tx, member, [row.publicId], { postId }));
      return row.publicId;
    })();
    postPhotos.set(groupId, made);
  }
  return made;
}

/** An upload the member made and has not attached to anything yet. */
let pendingUpload: Promise<string> | undefined;
function memberPendingUpload(): Promise<string> {
  const pw = permissionWorld();
  pendingUpload ??= (async () => {
    const bytes = await photo();
    const row = await storeUpload(
      { db: pw.world.database.db, files: pw.world.files },
      { uploaderId: pw.people.member.id, groupId: null, name: 'draft.png', bytes },
      LIMITS,
    );
    return row.publicId;
  })();
  return pendingUpload;
}

export const fileServeGroupCases: GroupCase[] = [
  {
    method: 'GET',
    route: '/files/:publicId/:variant',
    label: 'a photo in a published post',
    request: async (g) => ({
      url: fileUrl(await photoInPost(g.id, g.thread.openingId), 'thumb.webp'),
      missing: MISSING_FILE,
    }),
    // Whoever may read the post, and nobody else: to them the file does not exist.
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
  },
];

export const fileServeSiteCases: SiteCase[] = [
  {
    method: 'GET',
    route: '/files/:publicId/:variant',
    label: 'an upload not attached yet',
    request: async () => ({ url: fileUrl(await memberPendingUpload(), 'main'), missing: MISSING_FILE }),
    // Its uploader's alone until it is attached.
    expect: (r) => (r === 'member' ? 'ok' : 'notFound'),
  },
];

groupCases.push(...fileServeGroupCases);
siteCases.push(...fileServeSiteCases);
