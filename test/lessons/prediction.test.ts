import { describe, expect, it } from 'vitest';
import { judgePrediction } from '../../src/lessons/prediction.js';
import { predictionSchema, type Prediction } from '../../src/lessons/lesson.schema.js';

const cached: Prediction = { question: 'Which steps?', choices: ['none', 'the first two', 'all'], answer: 1, observed: 'CACHED', explain: 'why' };
const size: Prediction = { question: 'How many layers?', accept: ['3', 'three'], observed: '3', explain: 'why' };

describe('predictions', () => {
  it('a choice is right only when it is the answer, and both are read back in words', () => {
    expect(judgePrediction(cached, { choice: 1 })).toEqual({ right: true, guessed: 'the first two', actual: 'the first two' });
    expect(judgePrediction(cached, { choice: 2 })).toEqual({ right: false, guessed: 'all', actual: 'the first two' });
  });

  it('a typed guess is right whatever its case and blanks, against any accepted answer', () => {
    expect(judgePrediction(size, { typed: ' Three ' })).toMatchObject({ right: true, guessed: 'Three', actual: '3' });
    expect(judgePrediction(size, { typed: '3' }).right).toBe(true);
    expect(judgePrediction(size, { typed: '4' })).toEqual({ right: false, guessed: '4', actual: '3' });
    expect(judgePrediction({ ...size, accept: ['4.26 MB'] }, { typed: '4.26mb' }).right).toBe(true);
  });

  it('a guess of the other kind is wrong, not an error', () => {
    expect(judgePrediction(cached, { typed: 'the first two' }).right).toBe(false);
    expect(judgePrediction(size, { choice: 0 }).right).toBe(false);
  });

  it('the schema wants choices with an answer among them, or accepted answers, not both', () => {
    expect(predictionSchema.safeParse(cached).success).toBe(true);
    expect(predictionSchema.safeParse(size).success).toBe(true);
    expect(predictionSchema.safeParse({ ...cached, answer: 3 }).success).toBe(false);
    expect(predictionSchema.safeParse({ ...cached, answer: undefined }).success).toBe(false);
    expect(predictionSchema.safeParse({ ...cached, accept: ['x'] }).success).toBe(false);
    expect(predictionSchema.safeParse({ ...size, answer: 0 }).success).toBe(false);
    expect(predictionSchema.safeParse({ question: 'q', observed: 'o', explain: 'e' }).success).toBe(false);
  });
});
