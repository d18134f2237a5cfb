import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema, type Lesson } from './lessons/lesson.schema';

// The lesson schema is written once, in zod 4 (src/lessons/lesson.schema.ts), and also
// used by the replay test; Astro 5 validates collections with its own zod 3, so the
// collection hands the front matter to that schema and reports its errors.
const lessonFrontmatter = z.unknown().transform((data, ctx): Lesson => {
  const parsed = lessonSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path.map(String), message: issue.message });
    return z.NEVER;
  }
  return parsed.data;
});

const lessons = defineCollection({
  // Mirrored trees (Starlight): content/lessons/<locale>/<NN-slug>/index.mdx; entry id `<locale>/<NN-slug>`.
  loader: glob({ pattern: '*/*/index.mdx', base: './content/lessons', generateId: ({ entry }) => entry.replace(/\/index\.mdx$/, '') }),
  schema: lessonFrontmatter,
});

export const collections = { lessons };
