import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { createStaticSiteHandler } from './static-site.js';
import { resolveWebRoot } from './web-root.js';

/**
 * Serves the bidder web client at / beside the API under /v1. The handler is
 * added to the HTTP adapter directly because Nest applies the global /v1
 * prefix to controllers and to module middleware alike. NestApplication.init
 * (@nestjs/core 12) registers the API routes, then runs onModuleInit, then
 * adds its not-found handler, so the handler sits between the two.
 */
@Module({})
export class WebModule implements OnModuleInit {
  private readonly logger = new Logger(WebModule.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const root = resolveWebRoot();
    let warned = false;
    const handler = createStaticSiteHandler(root, (file) => {
      if (!warned) {
        warned = true;
        this.logger.warn(`web client requested but ${file} does not exist: run "npm run build:web"`);
      }
    });
    this.adapterHost.httpAdapter.use(handler);
    this.logger.log(`serving the bidder web client from ${root}`);
  }
}
