/** The start page: open auctions with their deadlines and bid counts, then recently ended ones. */
import type { AuctionInfo } from '../../client/types.js';
import { el, replaceChildren } from '../dom.js';
import { describeDirection, describeState, formatTime, formatTimeLeft, isFinal } from '../format.js';
import { listAuctions } from '../public-api.js';

const REFRESH_MS = 10_000;
const ENDED_SHOWN = 20;

/** Renders the auction list and refreshes it every few seconds. @throws SealbidApiError on the first load. */
export async function renderListPage(root: HTMLElement): Promise<void> {
  document.title = 'Auctions · sealbid';
  const open = el('div', { 'data-test': 'open-auctions' });
  const ended = el('div', { 'data-test': 'ended-auctions' });
  replaceChildren(
    root,
    el('h1', {}, 'Auctions'),
    el('p', { class: 'hint' }, 'To bid, open the bidder link the operator sent you, or choose an auction and paste your bidder token.'),
    el('section', { class: 'panel', 'aria-labelledby': 'open-heading' }, el('h2', { id: 'open-heading' }, 'Open for bids'), open),
    el('section', { class: 'panel', 'aria-labelledby': 'ended-heading' }, el('h2', { id: 'ended-heading' }, 'Recently ended'), ended),
  );

  let auctions = await listAuctions();
  const render = () => {
    replaceChildren(open, openTable(auctions.filter((auction) => auction.state === 'open')));
    replaceChildren(ended, endedList(auctions.filter((auction) => isFinal(auction.state)).slice(0, ENDED_SHOWN)));
  };
  render();
  window.setInterval(render, 1000);
  window.setInterval(() => {
    listAuctions().then((fresh) => (auctions = fresh), () => undefined);
  }, REFRESH_MS);
}

function openTable(auctions: AuctionInfo[]): HTMLElement {
  if (auctions.length === 0) {
    return el('p', { 'data-test': 'no-open-auctions' }, 'No auction is open right now.');
  }
  const body = el('tbody');
  for (const auction of auctions) {
    const left = auction.closesAt === null ? 'when the operator closes it' : (formatTimeLeft(Date.parse(auction.closesAt) - Date.now()) ?? 'closing…');
    body.append(
      el(
        'tr',
        { 'data-test': 'auction-row', 'data-auction': auction.id },
        el('td', {}, el('a', { href: `/auctions/${auction.id}` }, auction.title)),
        el('td', {}, `${describeDirection(auction.settings)}, ${auction.settings.price} price`),
        el('td', { class: 'mono' }, left),
        el('td', { class: 'number' }, String(auction.sealedBids)),
      ),
    );
  }
  return el(
    'table',
    { class: 'table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Auction'), el('th', {}, 'Rules'), el('th', {}, 'Closes in'), el('th', { class: 'number' }, 'Sealed bids'))),
    body,
  );
}

function endedList(auctions: AuctionInfo[]): HTMLElement {
  if (auctions.length === 0) {
    return el('p', {}, 'None yet.');
  }
  const list = el('ul', { class: 'plain-list' });
  for (const auction of auctions) {
    const when = auction.closedAt === null ? '' : `, closed ${formatTime(auction.closedAt)}`;
    list.append(el('li', {}, el('a', { href: `/auctions/${auction.id}/result` }, auction.title), ` (${describeState(auction.state)}${when})`));
  }
  return list;
}
