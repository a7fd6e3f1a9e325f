import type { Expected } from './oracle.js';
import type { GroupFixture, Kind, PermissionWorld, Person, Role } from '../helpers/permission-world.js';

/*
 * The shapes of the permission tables' cases, shared by table.ts (which runs them) and the files
 * that hold each capability's cases (pages-*.ts for pages and forms, api-*.ts for the JSON API).
 */

export type Form = Record<string, string | string[]>;
export interface Req {
  url: string;
  form?: Form;
  /** The same request for something that does not exist: a refusal must read exactly like it. */
  missing?: string;
}

export interface GroupCase {
  method: 'GET' | 'POST';
  route: string;
  label?: string;
  /** Run as a new person holding the role, for cases that change the actor's own standing or session. */
  fresh?: boolean;
  /** Run on the same site with card payments (Stripe) on; always with a fresh actor. */
  cards?: boolean;
  request(g: GroupFixture, actor: Person | null, r: Role): Req | Promise<Req>;
  expect(r: Role, k: Kind): Expected;
  /** What the page must show or not, beyond its status. */
  check?(body: string, r: Role, g: GroupFixture): string[];
}

export interface SiteCase {
  method: 'GET' | 'POST';
  route: string;
  label?: string;
  fresh?: boolean;
  cards?: boolean;
  request(actor: Person | null): Req | Promise<Req>;
  expect(r: Role): Expected;
  check?(body: string, r: Role): string[];
}

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface ApiReq {
  url: string;
  /** A JSON body. */
  body?: unknown;
  /** The same request for something that does not exist: a refusal must read exactly like it. */
  missing?: string;
}

/**
 * A JSON API route, run with a bearer token (every scope) for each role; a visitor sends none.
 * Outcomes read as for pages: 401 is 'login', 400 'invalid', 403 'forbidden', 404 'notFound'.
 * The expectation is the page's: "an API caller can never see or do more than the same person in
 * a browser".
 */
export interface ApiGroupCase {
  method: ApiMethod;
  route: string;
  label?: string;
  /** Run as a new person holding the role (and a new token), for cases that change their standing. */
  fresh?: boolean;
  request(g: GroupFixture, actor: Person | null, r: Role): ApiReq | Promise<ApiReq>;
  expect(r: Role, k: Kind): Expected;
  /** What the answer must hold or not, beyond its status; `body` is the raw JSON text. */
  check?(body: string, r: Role, g: GroupFixture): string[];
}

export interface ApiSiteCase {
  method: ApiMethod;
  route: string;
  label?: string;
  fresh?: boolean;
  request(actor: Person | null): ApiReq | Promise<ApiReq>;
  expect(r: Role): Expected;
  check?(body: string, r: Role): string[];
}

export const NO_ID = 2_000_000_000;
export const NO_GROUP = 'no-such-group';

const holder: { pw?: PermissionWorld } = {};
/** The world the tables run in, once it is built (beforeAll). */
export function permissionWorld(): PermissionWorld {
  if (!holder.pw) throw new Error('the permission world is not built yet');
  return holder.pw;
}
export function setPermissionWorld(pw: PermissionWorld): void {
  holder.pw = pw;
}

export function shows(body: string, text: string, visible: boolean): string[] {
  return body.includes(text) === visible ? [] : [`${visible ? 'does not show' : 'shows'} "${text}"`];
}
export const noindex = (body: string) => body.includes('name="robots" content="noindex"');
