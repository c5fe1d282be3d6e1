/** ASFF's building blocks: the schema version, timestamp and type patterns, and the field kinds every part uses. */
import { z } from 'zod';

/** The only ASFF schema version there is. */
export const asffSchemaVersion = '2018-10-08';

/**
 * ASFF timestamps (spec §1.5): the CloudFormation pattern with the documented bounds applied — at most
 * 9 fractional digits, offsets `+HH:MM`, `+HHMM` or `+HH` up to ±18:00. Calendar validity (no 30 February)
 * is checked by isAsffTimestamp.
 */
export const asffTimestampPattern =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d:[0-5]\d:[0-5]\d|2[0-3]:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d{1,9})?(?:Z|[+-](?:(?:0\d|1[0-7])(?::?[0-5]\d)?|18(?::?00)?))$/;

/**
 * Finding types: one to three `/`-separated parts (`namespace/category/classifier`). This is the pattern
 * the service reports (`data.Types[0] should match pattern "^([^/]+)(/[^/]+){0,2}$"`); it does not
 * restrict the namespace to the five documented ones.
 */
export const asffTypePattern = new RegExp('^([^/]+)(/[^/]+){0,2}$');

/** The model's NonEmptyString: at least one non-whitespace character. */
export const nonEmptyStringPattern = /.*\S.*/;

/** Whether a string is an ASFF timestamp: matches asffTimestampPattern and names a real calendar day. */
export function isAsffTimestamp(text: string): boolean {
  const match = asffTimestampPattern.exec(text);
  if (match === null) return false;
  const day = Number(match[3]);
  return day <= 28 || day <= daysInMonth(Number(match[1]), Number(match[2]));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A NonEmptyString, optionally with the model's length limits. */
export function text(maxLength?: number, minLength = 1) {
  const base = z.string().min(minLength);
  return (maxLength === undefined ? base : base.max(maxLength)).regex(nonEmptyStringPattern);
}

/** A timestamp string; JSON Schema sees it as `format: date-time`, which the compiled validator knows. */
export function timestamp() {
  return z.string().refine(isAsffTimestamp).meta({ format: 'date-time' });
}

/** An integer score 0–100 (Confidence, Criticality, Severity.Normalized). */
export function score() {
  return z.int().min(0).max(100);
}

/**
 * A string→string map. Keys are NonEmptyStrings; values may be empty, because the service itself stores
 * empty values (GuardDuty's ProductFields in real GetFindings output). maxPairs becomes maxProperties.
 */
export function fieldMap(limits: { maxPairs?: number; keyMax?: number; valueMax?: number } = {}) {
  const value = limits.valueMax === undefined ? z.string() : z.string().max(limits.valueMax);
  const map = z.record(text(limits.keyMax), value);
  const { maxPairs } = limits;
  if (maxPairs === undefined) return map;
  return map.refine((fields) => Object.keys(fields).length <= maxPairs).meta({ maxProperties: maxPairs });
}

/** Any JSON object, kept opaque. */
export function jsonObject() {
  return z.record(z.string(), z.unknown());
}
