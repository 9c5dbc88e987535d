import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import type { Auction } from '../generated/prisma/client.js';
import { effectiveMinValidBids, formatAmount, settingsFromRow } from './auction-settings.js';
import type { AuctionState } from './lifecycle.js';

/** Public reserve or the fact that there is one. */
export class ReserveView {
  @ApiProperty({ enum: ['none', 'public', 'sealed'] })
  kind!: 'none' | 'public' | 'sealed';

  @ApiPropertyOptional({ nullable: true, description: 'Major units; only for a public reserve.' })
  amount!: string | null;
}

/** Settings as clients see them, amounts in major units. */
export class SettingsView {
  @ApiProperty({ enum: ['highest-wins', 'lowest-wins'] }) direction!: string;
  @ApiProperty({ enum: ['first', 'second'] }) price!: string;
  @ApiProperty() bits!: number;
  @ApiProperty() decimals!: number;
  @ApiProperty({ type: ReserveView }) reserve!: ReserveView;
  @ApiPropertyOptional({ nullable: true }) minPrice!: string | null;
  @ApiProperty({ description: 'Valid bids needed before anything is opened (default filled in).' })
  minValidBids!: number;
  @ApiProperty({ enum: ['earliest', 'lottery'] }) ties!: string;
  @ApiProperty({ enum: ['public', 'amount-only'] }) disclosure!: string;
}

/** An auction as GET /v1/auctions/:id returns it. */
export class AuctionView {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['draft', 'open', 'closed', 'computing', 'settled', 'failed', 'cancelled'] })
  state!: AuctionState;
  @ApiPropertyOptional({ nullable: true, description: 'Why it failed or was cancelled.' })
  stateReason!: string | null;
  @ApiProperty({ type: SettingsView }) settings!: SettingsView;
  @ApiPropertyOptional({ nullable: true }) closesAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) openedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) closedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'Sealed bids currently in force.' }) sealedBids!: number;
  @ApiProperty({ description: 'Whether the sealed reserve has been received (sealed reserve only).' })
  sealedReserveReceived!: boolean;
}

/** Builds the public view of an auction row. */
export function toAuctionView(row: Auction, sealedBids: number, sealedReserveReceived: boolean): AuctionView {
  const settings = settingsFromRow(row);
  return {
    id: row.id,
    title: row.title,
    state: row.state,
    stateReason: row.stateReason,
    settings: {
      direction: settings.direction,
      price: settings.price,
      bits: settings.bits,
      decimals: settings.decimals,
      reserve: {
        kind: settings.reserve.kind,
        amount: settings.reserve.kind === 'public' ? formatAmount(settings, settings.reserve.amount) : null,
      },
      minPrice: formatAmount(settings, settings.minPrice),
      minValidBids: effectiveMinValidBids(settings),
      ties: settings.ties,
      disclosure: settings.disclosure,
    },
    closesAt: row.closesAt?.toISOString() ?? null,
    openedAt: row.openedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    sealedBids,
    sealedReserveReceived,
  };
}
