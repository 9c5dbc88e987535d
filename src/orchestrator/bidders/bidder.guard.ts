import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';

import { BiddersService, type AuthenticatedBidder } from './bidders.service.js';

interface BidderRequest {
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  bidder?: AuthenticatedBidder;
}

/**
 * Admits a request that carries a bidder token for the auction in the route
 * (parameter :id) and attaches the bidder to the request.
 */
@Injectable()
export class BidderGuard implements CanActivate {
  constructor(private readonly bidders: BiddersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<BidderRequest>();
    const header = request.headers.authorization;
    const token = BiddersService.parseBearer(typeof header === 'string' ? header : undefined);
    request.bidder = await this.bidders.authenticate(request.params.id, token);
    return true;
  }
}

/** Injects the bidder that BidderGuard authenticated. */
export const CurrentBidder = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedBidder => {
  return context.switchToHttp().getRequest<BidderRequest>().bidder as AuthenticatedBidder;
});
