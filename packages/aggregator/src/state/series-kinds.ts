import { CategoryAccumulator } from '../sketch/category-accumulator.js';
import type { CategoryDictionary } from '../sketch/category-dictionary.js';
import { HistogramAccumulator } from '../sketch/histogram-accumulator.js';
import { MomentsAccumulator } from '../sketch/moments-accumulator.js';
import type { SliceKind } from '../windows/windowed-series.js';

/** What each windowed series of a model version holds (also the `kind` column of the `series` table). */
export type SeriesKind =
  | 'feature.value'
  | 'feature.category'
  | 'feature.missing'
  | 'output.value'
  | 'output.class'
  | 'predictions'
  | 'feedback.labels'
  | 'feedback.confusion'
  | 'feedback.score'
  | 'feedback.absolute_error'
  | 'feedback.squared_error'
  | 'kpi.sum'
  | 'kpi.events';

export type PayloadType = 'histogram' | 'categories' | 'moments';

export const PAYLOAD_OF: Readonly<Record<SeriesKind, PayloadType>> = {
  'feature.value': 'histogram',
  'feature.category': 'categories',
  'feature.missing': 'moments',
  'output.value': 'histogram',
  'output.class': 'categories',
  predictions: 'moments',
  'feedback.labels': 'moments',
  'feedback.confusion': 'categories',
  'feedback.score': 'histogram',
  'feedback.absolute_error': 'moments',
  'feedback.squared_error': 'moments',
  'kpi.sum': 'moments',
  'kpi.events': 'moments',
};

export const HISTOGRAM_KIND: SliceKind<HistogramAccumulator> = {
  create: () => new HistogramAccumulator(true),
  createTransient: () => new HistogramAccumulator(),
  merge: (into, from) => into.merge(from),
};

export const MOMENTS_KIND: SliceKind<MomentsAccumulator> = {
  create: () => new MomentsAccumulator(),
  merge: (into, from) => into.merge(from),
};

export function categoryKind(dictionary: CategoryDictionary): SliceKind<CategoryAccumulator> {
  return {
    create: () => new CategoryAccumulator(dictionary),
    merge: (into, from) => into.merge(from),
  };
}

/** Separator of the confusion-matrix key `actual ␀ predicted`. */
export const CONFUSION_SEPARATOR = '\u0000';
