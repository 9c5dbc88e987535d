import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/** Deepest nesting of arrays and objects a request body may have. The bodies that both APIs document nest a few levels. */
export const MAX_BODY_DEPTH = 32;

// The types that ValidationPipe leaves untransformed: class-transformer walks only bodies declared as classes.
const PLAIN_TYPES: unknown[] = [String, Boolean, Number, Array, Object, Date];

/**
 * Rejects a request body nested more than MAX_BODY_DEPTH levels before
 * ValidationPipe transforms it. class-transformer copies a body
 * recursively, so a body of many thousand nested arrays, which fits in the
 * body limit and which JSON.parse accepts, would overflow the stack and end
 * as a 500. Only bodies that ValidationPipe would transform are checked.
 */
@Injectable()
export class BodyDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || metadata.metatype === undefined || PLAIN_TYPES.includes(metadata.metatype)) {
      return value;
    }
    if (depthExceeds(value, MAX_BODY_DEPTH)) {
      throw new BadRequestException(`the request body is nested more than ${MAX_BODY_DEPTH} levels deep; send the flat JSON object this route documents`);
    }
    return value;
  }
}

/** Returns whether value nests arrays and objects deeper than limit levels, without recursion. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const pending: Array<{ item: unknown; depth: number }> = [{ item: value, depth: 1 }];
  while (pending.length > 0) {
    const { item, depth } = pending.pop()!;
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    if (depth > limit) {
      return true;
    }
    for (const child of Object.values(item)) {
      pending.push({ item: child, depth: depth + 1 });
    }
  }
  return false;
}
