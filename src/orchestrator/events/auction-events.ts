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

/** Tells whether a listener wants an auction's events; a listener without one wants every auction's. */
type WatchCheck = (auctionId: string) => boolean;

/**
 * In-process announcements of committed changes. Services publish only
 * after the change is stored, so a subscriber never sees a state that a
 * restart would lose.
 */
@Injectable()
export class AuctionEvents {
  private readonly listeners = new Map<Listener, WatchCheck | null>();

  /** Registers a listener, optionally with the auctions it wants, and returns a function that removes it. */
  subscribe(listener: Listener, watches?: WatchCheck): () => void {
    this.listeners.set(listener, watches ?? null);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells whether any listener wants the auction's events, so that a
   * publisher can skip reading what an event would carry when nobody
   * receives it. A listener that registers before it reads its snapshot
   * misses nothing.
   */
  isWatched(auctionId: string): boolean {
    for (const watches of this.listeners.values()) {
      if (watches === null || watches(auctionId)) {
        return true;
      }
    }
    return false;
  }

  /** Delivers an event to every listener; a failing listener does not stop the others. */
  publish(event: AuctionEvent): void {
    for (const listener of this.listeners.keys()) {
      try {
        listener(event);
      } catch {
        // Listeners are gateway callbacks that handle their own errors; one bad socket must not block the rest.
      }
    }
  }
}
