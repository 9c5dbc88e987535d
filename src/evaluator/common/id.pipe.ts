import { Injectable, type PipeTransform } from '@nestjs/common';

import { badRequest } from './domain-error.js';
import { ID_PATTERN, ID_RULE } from './ids.js';

/** Checks an auction id taken from the path. */
@Injectable()
export class AuctionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID_PATTERN.test(value)) {
      throw badRequest('invalid-request', `auction id must be ${ID_RULE}`);
    }
    return value;
  }
}
