import { z } from 'zod';

/** Stripe-style list parameters: ?limit=1..100&starting_after=id&ending_before=id */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  starting_after: z.string().max(64).optional(),
  ending_before: z.string().max(64).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export interface Page<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

export const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });

export function page<T>(items: T[], limit: number): Page<T> {
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit };
}
