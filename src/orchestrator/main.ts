/**
 * Creation and start of the orchestrator: a NestJS app with its REST API
 * under /v1, the OpenAPI document at /v1/openapi.json and the WebSocket
 * gateway at /v1/events, all on one port.
 */
import 'reflect-metadata';

import { Logger, ValidationPipe, type INestApplication, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { BodyDepthPipe } from '../common/body-depth.pipe.js';
import { OrchestratorModule } from './app.module.js';
import { DomainExceptionFilter } from './common/domain-exception.filter.js';
import { requireJsonBodies } from './common/json-only.js';
import { OPERATOR_KEY_HEADER } from './common/operator.guard.js';
import type { OrchestratorConfig } from './config/orchestrator-config.js';

export const API_PREFIX = 'v1';

/** Largest JSON body the orchestrator reads. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Options for creating the app. */
export interface OrchestratorAppOptions {
  /** Nest logger or log levels; false silences Nest's own logging. */
  logger?: LoggerService | LogLevel[] | false;
}

/** Creates the orchestrator app (not yet listening). */
export async function createOrchestratorApp(config: OrchestratorConfig, options: OrchestratorAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(OrchestratorModule.forRoot(config), {
    logger: options.logger ?? ['log', 'warn', 'error'],
    bodyParser: false,
  });
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
  configureApp(app);
  return app;
}

/**
 * Creates the app and listens on the configured host and port.
 * Returns the app and the base URL it serves.
 */
export async function startOrchestrator(
  config: OrchestratorConfig,
  options: OrchestratorAppOptions = {},
): Promise<{ app: INestApplication; url: string }> {
  const app = await createOrchestratorApp(config, options);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  new Logger('Orchestrator').log(`listening on ${url} with ${config.evaluators.length} evaluators`);
  return { app, url };
}

function configureApp(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new BodyDepthPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new DomainExceptionFilter(BODY_LIMIT_BYTES));
  app.useWebSocketAdapter(new WsAdapter(app));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('sealbid orchestrator')
      .setDescription('Sealed-bid auctions computed by independent evaluators; the orchestrator relays sealed envelopes it cannot open.')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: OPERATOR_KEY_HEADER }, 'operator')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/openapi.json` });
}
