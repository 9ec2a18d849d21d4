import { describe, expect, it } from 'vitest';
import { FeedbackRecorder } from './feedback-recorder.js';

describe('FeedbackRecorder', () => {
  it('joins classification labels into the confusion matrix and the score by actual label', () => {
    const f = new FeedbackRecorder();
    expect(f.join({ score: 0.8, predicted: '1', value: NaN, atMillis: 0 }, true)).toBe('joined');
    expect(f.join({ score: NaN, predicted: 'cat', value: NaN, atMillis: 0 }, 'dog')).toBe('joined');
    expect(f.join({ score: NaN, predicted: 'cat', value: NaN, atMillis: 0 }, { label: 'dog' })).toBe('unusable');
    expect(f.labels).toBe(2);
    expect(f.confusion.get('1').get('1').value).toBe(1);
    expect(f.confusion.get('dog').get('cat').value).toBe(1);
    expect(f.scoreByLabel.get('1').sum).toBe(0.8);
    expect([...f.scoreByLabel.entries()]).toHaveLength(1);
  });
  it('joins regression labels into |error| and Σ error²', () => {
    const f = new FeedbackRecorder();
    f.join({ score: NaN, predicted: undefined, value: 10, atMillis: 0 }, 7);
    f.join({ score: NaN, predicted: undefined, value: -1, atMillis: 0 }, 1n);
    expect(f.join({ score: NaN, predicted: undefined, value: 1, atMillis: 0 }, 'x')).toBe('unusable');
    expect(f.absoluteError?.sum).toBe(5);
    expect(f.squaredErrorSum).toBe(13);
    expect(f.labels).toBe(2);
  });
});
