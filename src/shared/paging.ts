import { z } from 'zod';

/**
 * What every paged listing shares (table rows, index entries, jobs): one page-size limit and one
 * cursor shape. A cursor is opaque: only the main process makes one, from the last position a
 * page showed, and only the listing that issued it accepts it back.
 */
export const MAX_PAGE_SIZE = 1000;

export const PageLimitSchema = z.number().int().min(1).max(MAX_PAGE_SIZE);

/** A `next` or `prev` of an earlier page, passed back unchanged. */
export const CursorSchema = z.string().max(4096);

export const PageDirectionSchema = z.enum(['forward', 'backward']);
