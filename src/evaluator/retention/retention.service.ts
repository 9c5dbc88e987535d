import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

import { EVALUATOR_CONFIG } from '../common/tokens.js';
import type { EvaluatorConfig } from '../config/evaluator-config.js';
import { EvaluatorDatabase } from '../database/evaluator-database.js';
import { Prisma } from '../generated/prisma/client.js';
import { OpenedShares } from '../intake/opened-shares.js';

const MAX_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const MIN_SWEEP_INTERVAL_MS = 1000;

/**
 * Erases the envelopes (ciphertexts) of settled auctions once the retention
 * period after settlement has passed. Hashes, receipts and results stay. Also
 * wipes the opened share vectors of any auction that had none kept within the
 * retention period, such as one whose runs all failed.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly database: EvaluatorDatabase,
    @Inject(EVALUATOR_CONFIG) private readonly config: EvaluatorConfig,
    private readonly opened: OpenedShares,
  ) {}

  onApplicationBootstrap(): void {
    // Sweep a few times per retention period, at least once an hour.
    const interval = Math.max(MIN_SWEEP_INTERVAL_MS, Math.min(MAX_SWEEP_INTERVAL_MS, this.config.retentionMs / 4));
    this.timer = setInterval(() => void this.sweep(), interval);
    this.timer.unref();
    void this.sweep();
  }

  onApplicationShutdown(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
  }

  /** Erases the envelopes of every auction whose retention period has passed; returns how many auctions. */
  async sweep(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.retentionMs);
    const idle = this.opened.forgetIdle(cutoff.getTime());
    if (idle > 0) {
      this.logger.log(`wiped the opened shares of ${idle} auctions that completed no run within the retention period`);
    }
    try {
      const due = await this.database.client.auction.findMany({
        where: { state: 'settled', erasedAt: null, settledAt: { lte: cutoff } },
        select: { id: true },
      });
      for (const { id } of due) {
        await this.erase(id, now);
      }
      return due.length;
    } catch (error) {
      this.logger.error(`retention sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private async erase(auctionId: string, now: Date): Promise<void> {
    const client = this.database.client;
    const [erased] = await client.$transaction([
      client.envelope.updateMany({ where: { auctionId }, data: { sealed: Prisma.DbNull } }),
      client.auction.update({ where: { id: auctionId }, data: { erasedAt: now } }),
    ]);
    this.logger.log(`erased ${erased.count} envelopes of auction ${auctionId} after the retention period`);
  }
}
