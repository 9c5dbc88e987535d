import { ParseUUIDPipe } from '@nestjs/common';

import { InvalidRequestError } from './domain-errors.js';

/** Checks the auction id of a path: auctions get random version 4 UUIDs when created. */
export const AUCTION_ID = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new InvalidRequestError('the auction id in the path must be a version 4 UUID, as returned when the auction was created'),
});
