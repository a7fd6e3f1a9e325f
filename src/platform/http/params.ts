import { z } from 'zod';
import { NotFound } from '../errors.js';

/** A row id in a URL or query: a whole number PostgreSQL's integer can hold. */
export const idParam = z.coerce.number().int().positive().max(2_147_483_647);

/** Ids in URLs that are not whole numbers are simply not found. */
export function parseId(value: unknown): number {
  const parsed = idParam.safeParse(value);
  if (!parsed.success) throw new NotFound();
  return parsed.data;
}
