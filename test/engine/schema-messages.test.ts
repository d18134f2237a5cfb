import fc from 'fast-check';
import { en } from 'zod/locales';
import { describe, expect, it } from 'vitest';
import { englishIssue } from '../../src/engine/schema-messages.js';
import { stateSchema } from '../../src/engine/state.js';
import { goalSchema } from '../../src/lessons/goal.js';
import { aContainer, anImage, aState } from '../lessons/state.builders.js';

const zodEnglish = en().localeError;

/** Each issue's message under ours and under zod's English locale, for one bad input. */
function messages(schema: typeof goalSchema | typeof stateSchema, input: unknown) {
  const words = (error: typeof englishIssue) => {
    const result = schema.safeParse(input, { error });
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };
  return { ours: words(englishIssue), zods: words(zodEnglish) };
}

/** A JSON value with a bias towards what a goal holds: its kinds, names, counts and paths. */
const goalish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'containers',
      'containerStatus',
      'containerFile',
      'containerChange',
      'imageExists',
      'imageLayers',
      'imageFile',
      'sharedLayers',
      'fileContent',
      'ran',
      'volume',
      'all',
      'any',
      'not',
    ),
    fc.constantFrom('', 'c1', '/f', 'f', '../f', 'upper', 'running', 'A', 'busybox', 'whiteout', 'docker ps', 'docker  ps'),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'kind',
        'name',
        'image',
        'status',
        'count',
        'min',
        'max',
        'path',
        'layer',
        'container',
        'entry',
        'change',
        'ref',
        'goals',
        'goal',
        'nmae',
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

describe('schema messages', () => {
  it("word a goal's every issue as zod's English locale does", () => {
    fc.assert(
      fc.property(goalish, (input) => {
        const { ours, zods } = messages(goalSchema, input);
        expect(ours).toEqual(zods);
      }),
      { numRuns: 1000 },
    );
  });

  it("word a broken state's issues as zod's English locale does", () => {
    const state = aState({ images: [anImage()], containers: [aContainer()] });
    const broken: unknown[] = [
      { ...state, schemaVersion: 2 },
      { ...state, backend: 'vm' },
      { ...state, images: [{ ...state.images[0], id: 'sha256:short' }] },
      { ...state, images: [{ ...state.images[0], size: -1 }] },
      { ...state, images: [{ ...state.images[0], repoTags: 'busybox' }] },
      { ...state, containers: [{ ...state.containers[0], status: 'sleeping', exitCode: 1.5 }] },
      { ...state, containers: [{ ...state.containers[0], id: 'ABC' }] },
      { ...state, layers: null },
      'a state',
    ];
    for (const input of broken) {
      const { ours, zods } = messages(stateSchema, input);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours).toEqual(zods);
    }
  });

  it('say what a wrong goal attribute needs, in words an author can act on', () => {
    expect(messages(goalSchema, { kind: 'containers', name: '' }).ours).toEqual(['name: Too small: expected string to have >=1 characters']);
  });
});
