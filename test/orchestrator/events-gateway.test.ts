import type { WebSocket } from 'ws';

import type { AuctionsService } from '../../src/orchestrator/auctions/auctions.service.js';
import type { ResultsService } from '../../src/orchestrator/computation/results.service.js';
import { AuctionEvents } from '../../src/orchestrator/events/auction-events.js';
import { EventsGateway } from '../../src/orchestrator/events/events.gateway.js';

const AUCTION_ID = '7d3f0a52-7f0e-4c55-9a57-3f1c2b7f4d10';

/** Returns a socket that records what the gateway sends. */
function recordingSocket(): { socket: WebSocket; sent: Array<{ event: string; data: Record<string, unknown> }> } {
  const sent: Array<{ event: string; data: Record<string, unknown> }> = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    send: (message: string) => sent.push(JSON.parse(message)),
  };
  return { socket: socket as unknown as WebSocket, sent };
}

/** Returns an auctions service whose snapshot read waits until the test releases it. */
function pausedAuctions(): { auctions: AuctionsService; release: (state: string) => void } {
  let release!: (state: string) => void;
  const read = new Promise<string>((resolve) => {
    release = resolve;
  });
  const auctions = {
    get: async () => ({ id: AUCTION_ID, state: await read, stateReason: null, sealedBids: 0 }),
  };
  return { auctions: auctions as unknown as AuctionsService, release };
}

describe('events gateway subscription', () => {
  it('delivers a transition committed during the snapshot', async () => {
    const events = new AuctionEvents();
    const { auctions, release } = pausedAuctions();
    const gateway = new EventsGateway(events, auctions, {} as ResultsService);
    gateway.onModuleInit();
    const { socket, sent } = recordingSocket();

    const subscribing = gateway.subscribe(socket, { auctionId: AUCTION_ID });
    events.publish({ type: 'state', auctionId: AUCTION_ID, state: 'cancelled', reason: 'test', at: new Date(0).toISOString() });
    release('open');
    await subscribing;

    expect(sent.map((message) => message.event)).toEqual(['subscribed', 'state']);
    expect(sent[0].data.state).toBe('open');
    expect(sent[1].data.state).toBe('cancelled');
  });

  it('sends later events directly', async () => {
    const events = new AuctionEvents();
    const { auctions, release } = pausedAuctions();
    const gateway = new EventsGateway(events, auctions, {} as ResultsService);
    gateway.onModuleInit();
    const { socket, sent } = recordingSocket();

    release('open');
    await gateway.subscribe(socket, { auctionId: AUCTION_ID });
    events.publish({ type: 'bids', auctionId: AUCTION_ID, count: 2 });

    expect(sent.map((message) => message.event)).toEqual(['subscribed', 'bids']);
  });

  it('stops events after a disconnect', async () => {
    const events = new AuctionEvents();
    const { auctions, release } = pausedAuctions();
    const gateway = new EventsGateway(events, auctions, {} as ResultsService);
    gateway.onModuleInit();
    const { socket, sent } = recordingSocket();

    release('open');
    await gateway.subscribe(socket, { auctionId: AUCTION_ID });
    gateway.handleDisconnect(socket);
    events.publish({ type: 'bids', auctionId: AUCTION_ID, count: 3 });

    expect(sent.map((message) => message.event)).toEqual(['subscribed']);
  });
});
