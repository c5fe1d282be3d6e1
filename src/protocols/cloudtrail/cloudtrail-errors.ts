/**
 * The closed set of CloudTrail exception names Bulwark answers with (all 400 on the wire). A name outside this list
 * does not compile, so a typo cannot reach a client whose SDK would then not recognise the error.
 */
export const cloudTrailExceptionNames = [
  'InvalidEventCategoryException',
  'InvalidLookupAttributesException',
  'InvalidMaxResultsException',
  'InvalidNextTokenException',
  'InvalidParameterException',
  'InvalidTimeRangeException',
] as const;

/** One CloudTrail-modeled exception name, e.g. `InvalidTimeRangeException`. */
export type CloudTrailExceptionName = (typeof cloudTrailExceptionNames)[number];
