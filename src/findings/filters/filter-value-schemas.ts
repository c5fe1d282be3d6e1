/** Zod schemas of the filter values in AwsSecurityFindingFilters (spec §4.1), and the parsed filter set's type. */

import { z } from 'zod';
import type { FilterKey, FilterTypeOf } from './filter-keys.js';

const stringComparisons = [
  'EQUALS',
  'PREFIX',
  'NOT_EQUALS',
  'PREFIX_NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
] as const;
const mapComparisons = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'] as const;

const nonEmptyString = z.string().min(1, { error: 'must not be empty' });

/** StringFilter: a comparison against a string field. */
export const stringFilterSchema = z.strictObject({
  Value: nonEmptyString,
  Comparison: z.enum(stringComparisons, {
    error: (issue) =>
      issue.input === 'CONTAINS_WORD'
        ? 'Comparison CONTAINS_WORD is only supported by GetFindingsV2 and V2 automation rules'
        : `Comparison must be one of ${stringComparisons.join(', ')}`,
  }),
});

/** NumberFilter: bounds on a number field, ANDed within one object. */
export const numberFilterSchema = z
  .strictObject({
    Gte: z.number().optional(),
    Lte: z.number().optional(),
    Eq: z.number().optional(),
    Gt: z.number().optional(),
    Lt: z.number().optional(),
  })
  .refine(
    (filter) => Object.values(filter).some((bound) => bound !== undefined),
    'NumberFilter needs at least one of Gte, Lte, Eq, Gt, Lt',
  );

/** DateRange: a window relative to the time of evaluation. */
export const dateRangeSchema = z.strictObject({
  Value: z.number().int().min(0),
  Unit: z.enum(['DAYS'], { error: 'DateRange Unit must be DAYS' }),
  Comparison: z
    .enum(['WITHIN', 'OLDER_THAN'], { error: 'DateRange Comparison must be WITHIN or OLDER_THAN' })
    .optional(),
});

/** DateFilter: an absolute Start/End range or a relative DateRange (checked in validateFilters). */
export const dateFilterSchema = z.strictObject({
  Start: nonEmptyString.optional(),
  End: nonEmptyString.optional(),
  DateRange: dateRangeSchema.optional(),
});

/** MapFilter: a comparison against the value at one key of a string map. */
export const mapFilterSchema = z.strictObject({
  Key: nonEmptyString,
  Value: nonEmptyString,
  Comparison: z.enum(mapComparisons, { error: `Comparison must be one of ${mapComparisons.join(', ')}` }),
});

/** IpFilter: a CIDR block (checked in validateFilters). */
export const ipFilterSchema = z.strictObject({ Cidr: nonEmptyString });

/** BooleanFilter: the only boolean attribute is Sample. */
export const booleanFilterSchema = z.strictObject({ Value: z.boolean() });

/** KeywordFilter: the deprecated free-text filter. */
export const keywordFilterSchema = z.strictObject({ Value: nonEmptyString });

/** A parsed StringFilter. */
export type StringFilter = z.infer<typeof stringFilterSchema>;
/** A parsed NumberFilter. */
export type NumberFilter = z.infer<typeof numberFilterSchema>;
/** A parsed DateFilter. */
export type DateFilter = z.infer<typeof dateFilterSchema>;
/** A parsed MapFilter. */
export type MapFilter = z.infer<typeof mapFilterSchema>;
/** A parsed IpFilter. */
export type IpFilter = z.infer<typeof ipFilterSchema>;
/** A parsed BooleanFilter. */
export type BooleanFilter = z.infer<typeof booleanFilterSchema>;
/** A parsed KeywordFilter. */
export type KeywordFilter = z.infer<typeof keywordFilterSchema>;
/** A StringFilter comparison operator. */
export type StringComparison = StringFilter['Comparison'];
/** A MapFilter comparison operator. */
export type MapComparison = MapFilter['Comparison'];

/** The zod schema of each filter type's values. */
export const schemaByType = {
  string: stringFilterSchema,
  number: numberFilterSchema,
  date: dateFilterSchema,
  map: mapFilterSchema,
  ip: ipFilterSchema,
  boolean: booleanFilterSchema,
  keyword: keywordFilterSchema,
} as const;

/** The zod shape of a filter set over `K`: each key an optional list of its type's filters. */
export type FiltersShape<K extends FilterKey> = {
  [P in K]: z.ZodOptional<z.ZodArray<(typeof schemaByType)[FilterTypeOf<P>]>>;
};

/** Parsed AwsSecurityFindingFilters (the output of `findingFiltersSchema`). */
export type FindingFilters = z.infer<z.ZodObject<FiltersShape<FilterKey>, z.core.$strict>>;
