import { z } from 'zod';

const fileId = z.string().min(1).max(64).describe('file_…');

/** Longest preview frame (px). Previews are for editing UIs; exports are jobs. */
export const MAX_PREVIEW_WIDTH = 1280;

// The operations are checked by the engine's edit-list validator (not zod), so that a bad one is
// a 422 naming it (`operations[3].end`) instead of a generic schema error.
const operations = z
  .array(z.unknown())
  .describe(
    'The edit list, applied in order; times are seconds of the output of the previous operation. ' +
      'Operations: `trim` {start, end} · `cut` {start, end} · `concat` {inputs: [file ids (kind video), or 0 for the source]} · ' +
      '`text` {text, start, end, position: top|center|bottom|{x, y}, font?, size?, color?, outline?, shadow?, animation?: fade|slide|none} · ' +
      '`filter` {name (GET /api/v1/edits/filters), intensity?} · `crop` {aspect: 1:1|9:16|16:9|4:5} or {x, y, width, height} · ' +
      '`rotate` {degrees: 90|180|270} · `flip` {direction} · `speed` {factor: 0.25..4} · ' +
      '`audio` {mode: mute|replace|mix, file?: a file id, volume?, duck?} · `fade` {in?, out?} · `resize` {resolution}.',
  );

export const createEditBody = z
  .object({
    source_file: fileId.describe('An uploaded or generated video (kind `video`).'),
    operations,
  })
  .strict();
export type CreateEditBody = z.infer<typeof createEditBody>;

export const previewEditBody = z
  .object({
    source_file: fileId.describe('An uploaded or generated video (kind `video`).'),
    operations,
    time: z.number().min(0).max(86_400).describe('Seconds of the edited output.'),
    width: z.number().int().min(16).max(MAX_PREVIEW_WIDTH).optional().describe(`Frame width in pixels (default: the edited width, at most ${MAX_PREVIEW_WIDTH}).`),
  })
  .strict();
export type PreviewEditBody = z.infer<typeof previewEditBody>;

export const filterListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ object: z.literal('edit_filter'), name: z.string(), label: z.string() }).describe('A look for the `filter` operation.')),
  has_more: z.boolean(),
});
