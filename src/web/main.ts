/**
 * Entry point of the bidder web client. The orchestrator serves the same
 * page for every route, and this script picks what to render from the path.
 */
import { el, replaceChildren } from './dom.js';
import { describeFailure } from './messages.js';
import { failureBox } from './components/failure-box.js';
import { renderAuctionPage } from './pages/auction-page.js';
import { renderListPage } from './pages/list-page.js';
import { renderResultPage } from './pages/result-page.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const AUCTION_PATH = new RegExp(`^/auctions/(${UUID})/?$`);
const RESULT_PATH = new RegExp(`^/auctions/(${UUID})/result/?$`);

async function route(root: HTMLElement): Promise<void> {
  const path = window.location.pathname;
  if (path === '/' || path === '/index.html') {
    return renderListPage(root);
  }
  const auction = AUCTION_PATH.exec(path);
  if (auction !== null) {
    return renderAuctionPage(root, auction[1]);
  }
  const result = RESULT_PATH.exec(path);
  if (result !== null) {
    return renderResultPage(root, result[1]);
  }
  replaceChildren(root, el('h1', {}, 'Page not found'), el('p', {}, el('a', { href: '/' }, 'See the open auctions')));
}

const root = document.getElementById('app');
if (root !== null) {
  route(root).catch((error: unknown) => {
    replaceChildren(root, el('h1', {}, 'This page could not be loaded'), failureBox(describeFailure(error)), el('p', {}, el('a', { href: '/' }, 'See the open auctions')));
  });
}
