/**
 * One auction run exactly as real participants would run it. The operator
 * creates and opens it over the REST API, and every bidder seals and submits
 * its bid through the SDK in file order. The operator then closes it, and the
 * verified result is reported.
 */
import { AmountError, BidderClient, OperatorClient, SealbidApiError, toMinorUnits, VerificationError, type AuctionInfo, type AuctionSettingsInput } from '../client/index.js';
import { checkRules, type AuctionRules } from '../mpc/index.js';
import type { BidRow } from './bids-csv.js';
import { UsageError } from './usage-error.js';

/** Auction settings of a simulation, as given on the command line. */
export interface SimulationSettings {
  direction: 'highest-wins' | 'lowest-wins';
  price: 'first' | 'second';
  /** Reserve in major units, or null. */
  reserve: string | null;
  /** Seal the reserve as shares (operator) instead of publishing it. */
  sealedReserve: boolean;
  minPrice: string | null;
  minBids: number | null;
  ties: 'earliest' | 'lottery';
  bits: number;
  decimals: number;
  disclosure: 'public' | 'amount-only';
}

/** The outcome as `sealbid simulate --json` prints it. */
export interface SimulationReport {
  status: 'settled' | 'no-sale' | 'failed';
  /** Winning bidder as named in the file; null without a sale or under amount-only disclosure. */
  winner: string | null;
  /** Price in major units, or null. */
  price: string | null;
  validBids: number;
  /** Rows refused before the computation, and bids the computation left out, with the reason. */
  rejected: Array<{ bidder: string; reason: string }>;
  /** Failure reason, or the no-sale reason; null after a sale. */
  reason: string | null;
}

/** Orchestrator URL and operator key that the simulation uses. */
export interface SimulationTarget {
  orchestratorUrl: string;
  operatorApiKey: string;
}

const BIDDER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RESULT_TIMEOUT_MS = 10 * 60_000;
// The operator closes the auction as soon as every row is submitted; the closing time is only a bound.
const BASE_OPEN_PERIOD_MS = 30_000;
const OPEN_PERIOD_PER_ROW_MS = 2_000;

/**
 * Checks the settings before any service starts.
 * @throws UsageError naming the invalid option.
 */
export function checkSimulationSettings(settings: SimulationSettings): void {
  const format = { bits: settings.bits, decimals: settings.decimals };
  const amount = (option: string, text: string) => {
    try {
      return toMinorUnits(text, format, `--${option}`);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const rules: AuctionRules = { bits: settings.bits, direction: settings.direction, price: settings.price, ties: settings.ties, disclosure: settings.disclosure };
  if (settings.reserve !== null) {
    const value = amount('reserve', settings.reserve);
    rules.reserve = settings.sealedReserve ? { kind: 'sealed' } : { kind: 'public', amount: value };
  } else if (settings.sealedReserve) {
    throw new UsageError('--sealed-reserve needs --reserve AMOUNT');
  }
  if (settings.minPrice !== null) {
    rules.minPrice = amount('min-price', settings.minPrice);
  }
  if (settings.minBids !== null) {
    rules.minValidBids = settings.minBids;
  }
  try {
    checkRules(rules);
  } catch (error) {
    throw new UsageError(`invalid auction options: ${(error as Error).message}`);
  }
}

/**
 * Runs one auction with the given rows against a running cluster.
 * @throws SealbidApiError when the operator's requests fail; rows with bad
 *   amounts or refused bids are reported in `rejected` instead.
 */
export async function runSimulation(target: SimulationTarget, rows: BidRow[], settings: SimulationSettings): Promise<SimulationReport> {
  const operator = new OperatorClient({ baseUrl: target.orchestratorUrl, apiKey: target.operatorApiKey });
  const auction = await operator.createAuction('simulation', auctionSettings(settings));
  const openPeriod = BASE_OPEN_PERIOD_MS + OPEN_PERIOD_PER_ROW_MS * rows.length;
  await operator.openAuction(auction.id, new Date(Date.now() + openPeriod).toISOString());
  if (settings.sealedReserve && settings.reserve !== null) {
    await operator.submitSealedReserve(auction.id, settings.reserve);
  }

  const names = new Map<string, string>();
  const rejected = await submitRows(operator, target, auction.id, rows, names);

  await operator.closeAuction(auction.id);
  const final = await waitForFinalState(operator, auction.id);
  if (final.state !== 'settled') {
    return { status: 'failed', winner: null, price: null, validBids: 0, rejected, reason: final.stateReason ?? `auction ended ${final.state}` };
  }

  const result = await operator.getResult(auction.id);
  const set = await operator.submissionSet(auction.id);
  const nameOf = (position: number) => names.get(set.bids[position]?.bidderId) ?? `bid ${position}`;
  for (const item of result.outcome.rejected) {
    rejected.push({ bidder: nameOf(item.bid), reason: item.reason });
  }

  const sold = result.outcome.status === 'settled';
  return {
    status: sold ? 'settled' : 'no-sale',
    winner: result.winnerBidderId === null ? null : (names.get(result.winnerBidderId) ?? result.winnerBidderId),
    price: result.price,
    validBids: result.outcome.validBids,
    rejected,
    reason: sold ? null : result.outcome.noSaleReason,
  };
}

function auctionSettings(settings: SimulationSettings): AuctionSettingsInput {
  const reserve: AuctionSettingsInput['reserve'] =
    settings.reserve === null ? { kind: 'none' } : settings.sealedReserve ? { kind: 'sealed' } : { kind: 'public', amount: settings.reserve };
  return {
    direction: settings.direction,
    price: settings.price,
    bits: settings.bits,
    decimals: settings.decimals,
    reserve,
    minPrice: settings.minPrice,
    minValidBids: settings.minBids,
    ties: settings.ties,
    disclosure: settings.disclosure,
  };
}

async function submitRows(
  operator: OperatorClient,
  target: SimulationTarget,
  auctionId: string,
  rows: BidRow[],
  names: Map<string, string>,
): Promise<Array<{ bidder: string; reason: string }>> {
  const clients = new Map<string, BidderClient>();
  const rejected: Array<{ bidder: string; reason: string }> = [];

  for (const row of rows) {
    let client = clients.get(row.bidder);
    if (client === undefined) {
      const bidderId = await register(operator, row.bidder, names);
      client = new BidderClient({ baseUrl: target.orchestratorUrl, auctionId, token: await operator.issueToken(auctionId, bidderId) });
      clients.set(row.bidder, client);
    }
    if (row.amount === null) {
      continue;
    }
    try {
      await client.submitBid(row.amount);
    } catch (error) {
      if (error instanceof AmountError || error instanceof SealbidApiError || error instanceof VerificationError) {
        rejected.push({ bidder: row.bidder, reason: error.message });
      } else {
        throw error;
      }
    }
  }
  return rejected;
}

// File names that are not valid ids (spaces, accents) get a numbered id; reports use the file's names.
async function register(operator: OperatorClient, name: string, names: Map<string, string>): Promise<string> {
  let id = BIDDER_ID.test(name) ? name : '';
  for (let next = names.size + 1; id === '' || names.has(id); next++) {
    id = `bidder-${next}`;
  }
  const bidder = await operator.registerBidder(name, id);
  names.set(bidder.id, name);
  return bidder.id;
}

async function waitForFinalState(operator: OperatorClient, auctionId: string): Promise<AuctionInfo> {
  const deadline = Date.now() + RESULT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const auction = await operator.getAuction(auctionId);
    if (['settled', 'failed', 'cancelled'].includes(auction.state)) {
      return auction;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`auction ${auctionId} did not finish within ${RESULT_TIMEOUT_MS / 60_000} minutes`);
}

/** Writes a report as the human-readable lines of `sealbid simulate` without --json. */
export function formatReport(report: SimulationReport, disclosure: SimulationSettings['disclosure']): string {
  const lines = [`status: ${report.status}`];
  if (report.status === 'settled') {
    lines.push(`winner: ${report.winner ?? (disclosure === 'amount-only' ? '(told privately to the winner)' : 'none')}`);
    lines.push(`price: ${report.price}`);
  }
  lines.push(`valid bids: ${report.validBids}`);
  if (report.reason !== null) {
    lines.push(`reason: ${report.reason}`);
  }
  if (report.rejected.length > 0) {
    lines.push('rejected:');
    lines.push(...report.rejected.map((item) => `  ${item.bidder}: ${item.reason}`));
  }
  return `${lines.join('\n')}\n`;
}
