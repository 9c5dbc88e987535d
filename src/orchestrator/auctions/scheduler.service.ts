import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

import { AuctionCommandsService } from './auction-commands.service.js';
import { ORCHESTRATOR_CONFIG } from '../common/tokens.js';
import type { OrchestratorConfig } from '../config/orchestrator-config.js';
import { DatabaseService } from '../database/database.service.js';
import { ComputationService } from '../computation/computation.service.js';

/**
 * Enforces deadlines by the server clock and resumes interrupted work. A
 * sweep runs at start-up and then at a fixed interval. It closes open
 * auctions whose closing time has passed, starts the computation of closed
 * auctions, and drives every computation that no task of this process is
 * driving, which after a restart means all of them.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly database: DatabaseService,
    private readonly commands: AuctionCommandsService,
    private readonly computation: ComputationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.failInterruptedSubmissions();
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Runs one pass over deadlines and unfinished computations; overlapping calls are skipped. */
  async sweep(): Promise<void> {
    if (this.sweeping) {
      return;
    }
    this.sweeping = true;
    try {
      await this.closeDueAuctions();
      await this.startClosedAuctions();
      await this.resumeComputations();
    } catch (error) {
      this.logger.error(`scheduler sweep failed: ${(error as Error).message}`, (error as Error).stack);
    } finally {
      this.sweeping = false;
    }
  }

  private async closeDueAuctions(): Promise<void> {
    const due = await this.database.prisma.auction.findMany({
      where: { state: 'open', closesAt: { lte: new Date() } },
      select: { id: true },
    });
    for (const { id } of due) {
      this.logger.log(`auction ${id} reached its closing time`);
      await this.commands.closeDue(id);
    }
  }

  private async startClosedAuctions(): Promise<void> {
    const closed = await this.database.prisma.auction.findMany({ where: { state: 'closed' }, select: { id: true } });
    for (const { id } of closed) {
      await this.commands.startComputation(id);
    }
  }

  private async resumeComputations(): Promise<void> {
    const computing = await this.database.prisma.auction.findMany({ where: { state: 'computing' }, select: { id: true } });
    for (const { id } of computing) {
      if (!this.computation.isDriving(id)) {
        this.computation.drive(id);
      }
    }
  }

  // A pending submission at start-up was never acknowledged because the process stopped
  // while receipts were outstanding. The client saw an error, and any earlier bid is still in force.
  private async failInterruptedSubmissions(): Promise<void> {
    const { count } = await this.database.prisma.submission.updateMany({
      where: { status: 'pending' },
      data: { status: 'failed', failureReason: 'the orchestrator restarted before every receipt arrived' },
    });
    if (count > 0) {
      this.logger.warn(`${count} unacknowledged submissions marked failed after restart`);
    }
  }
}
