/** A box that fills in, once worked out, whether the signed-in bidder won. */
import type { AuctionInfo, ResultInfo } from '../../client/types.js';
import type { BidderSession } from '../bidder-session.js';
import { el, replaceChildren } from '../dom.js';
import { privateOutcome } from '../private-outcome.js';

/** Renders a placeholder and replaces it with the bidder's own outcome. */
export function privateOutcomeBox(session: BidderSession, auction: AuctionInfo, result: ResultInfo): HTMLElement {
  const box = el('div', { class: 'notice notice-info', 'data-test': 'private-outcome', 'data-kind': 'pending' }, 'Working out whether you won…');
  void privateOutcome(session, auction, result).then((outcome) => {
    box.className = `notice ${outcome.kind === 'won' ? 'notice-ok' : outcome.kind === 'unknown' ? 'notice-warn' : 'notice-info'}`;
    box.setAttribute('data-kind', outcome.kind);
    replaceChildren(box, el('p', { class: 'notice-title' }, outcome.text), outcome.detail === '' ? null : el('p', {}, outcome.detail));
  });
  return box;
}
