import { z } from 'zod';

/**
 * What a shared playground link carries: the build context's files and the commands run,
 * and for each build among them (`builds[].index` into `history`) the files it was run
 * with — the replay builds each with its own files, not with the last ones.
 */
export interface PlaygroundState {
  files: { path: string; content: string }[];
  history: string[];
  builds?: { index: number; files: { path: string; content: string }[] }[];
}

const filesSchema = () => z.array(z.object({ path: contextPath(), content: z.string() }).strict()).max(32);

const stateSchema = z
  .object({
    files: filesSchema(),
    history: z.array(z.string()).max(500),
    builds: z
      .array(z.object({ index: z.number().int().nonnegative(), files: filesSchema() }).strict())
      .max(100)
      .optional(),
  })
  .strict();

/** Whether a command line is a `docker build` (its files are what a replay must restore). */
export function isBuildCommand(line: string): boolean {
  return /^\s*docker\s+(?:image\s+|buildx\s+|builder\s+)?build(?:\s|$)/.test(line);
}

/**
 * The history as runs to replay: commands in order, each stretch led by the files its
 * build ran with (none for the commands before the first build: they run on the link's files).
 */
export function replayPlan(state: PlaygroundState): { files?: PlaygroundState['files']; commands: string[] }[] {
  const at = new Map((state.builds ?? []).map((b) => [b.index, b.files]));
  const plan: { files?: PlaygroundState['files']; commands: string[] }[] = [{ commands: [] }];
  state.history.forEach((command, i) => {
    const files = at.get(i);
    if (files) plan.push({ files, commands: [] });
    plan.at(-1)!.commands.push(command);
  });
  return plan.filter((p) => p.commands.length > 0);
}

function contextPath() {
  // The same rule as the sandbox's files API: relative, no `..`, no empty segment.
  return z
    .string()
    .min(1)
    .max(255)
    .refine((p) => !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), 'not a build-context path');
}

/** The hash key; a version digit follows so a later format can still read old links. */
const KEY = 's=1';

/** `#s=1<base64url(deflate-raw(JSON))>`: compressed, as links get long with a few files. */
export async function encodeState(state: PlaygroundState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(stateSchema.parse(state)));
  return `#${KEY}${toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))}`;
}

/** The state in a link's hash, or undefined when it has none or it is damaged. */
export async function decodeState(hash: string): Promise<PlaygroundState | undefined> {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!raw.startsWith(KEY)) return undefined;
  try {
    const bytes = await pipe(fromBase64Url(raw.slice(KEY.length)), new DecompressionStream('deflate-raw'));
    const parsed = stateSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
