/** Request schemas of the tagging operations. */
import { z } from 'zod';
import { tagsSchema } from './findings-wire.js';

const resourceArn = z.string().min(1).max(2048);
const noReservedKeys = (keys: readonly string[]): boolean =>
  keys.every((key) => !key.toLowerCase().startsWith('aws:'));
const reservedMessage = 'tag keys must not start with the reserved prefix aws:';

export const tagResourceSchema = z.object({
  ResourceArn: resourceArn,
  Tags: tagsSchema
    .refine((tags) => Object.keys(tags).length >= 1, 'must hold at least 1 tag')
    .refine((tags) => noReservedKeys(Object.keys(tags)), reservedMessage),
});

export const untagResourceSchema = z.object({
  ResourceArn: resourceArn,
  TagKeys: z
    .array(z.string().min(1).max(128))
    .min(1, 'must name at least 1 tag key (query parameter tagKeys)')
    .max(50, 'must name at most 50 tag keys'),
});

export const listTagsForResourceSchema = z.object({ ResourceArn: resourceArn });
