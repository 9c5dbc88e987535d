import { Injectable } from '@nestjs/common';

import type { AuctionState } from '../auctions/lifecycle.js';
import type { ResultView } from '../computation/result-view.js';

/** A lifecycle transition that has been committed. */
export interface StateEvent {
  type: 'state';
  auctionId: string;
  state: AuctionState;
  reason: string | null;
  at: string;
}

/** The number of sealed bids in force after an accepted submission. */
export interface BidCountEvent {
  type: 'bids';
  auctionId: string;
  count: number;
}

/** A published result. */
export interface ResultEvent {
  type: 'result';
  auctionId: string;
  result: ResultView;
}

export type AuctionEvent = StateEvent | BidCountEvent | ResultEvent;

type Listener = (event: AuctionEvent) => void;

/**
 * In-process announcements of committed changes. Services publish only
 * after the change is stored, so a subscriber never sees a state that a
 * restart would lose.
 */
@Injectable()
export class AuctionEvents {
  private readonly listeners = new Set<Listener>();

  /** Registers a listener and returns a function that removes it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers an event to every listener; a failing listener does not stop the others. */
  publish(event: AuctionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // Listeners are gateway callbacks that handle their own errors; one bad socket must not block the rest.
      }
    }
  }
}
