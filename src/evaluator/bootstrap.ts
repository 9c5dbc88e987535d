/**
 * Start-up of one evaluator process: configuration, keys, database, then the
 * NestJS application with its REST API, OpenAPI document and peer channel.
 */
import 'reflect-metadata';

import { Logger, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { BodyDepthPipe } from '../common/body-depth.pipe.js';
import { EvaluatorAppModule } from './app.module.js';
import { BODY_LIMIT_BYTES } from './common/body-limit.js';
import { computeBodyParser } from './common/compute-body.js';
import type { EvaluatorConfig } from './config/evaluator-config.js';
import { EvaluatorDatabase } from './database/evaluator-database.js';
import { describeKeys, loadOrCreateKeys } from './keys/index.js';
import { EVALUATOR_VERSION } from './version.js';

/** A running evaluator. */
export interface RunningEvaluator {
  app: INestApplication;
  /** Base URL of the REST API, such as http://127.0.0.1:7101. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts an evaluator and resolves when it listens.
 * @throws ConfigError, KeyFileError or MigrationError when start-up fails.
 */
export async function startEvaluator(config: EvaluatorConfig): Promise<RunningEvaluator> {
  const logger = new Logger('EvaluatorBootstrap');
  const { keys, source } = loadOrCreateKeys({ keyFile: config.keyFile, inlineKeys: config.inlineKeys });
  const identity = describeKeys(keys);
  logger.log(`party ${config.index} of ${config.parties}: keys ${source === 'created' ? 'created in' : 'loaded from'} ${source === 'environment' ? 'SEALBID_EVALUATOR_KEYS' : config.keyFile}`);
  logger.log(`signing key ${identity.signingPublicKey}, sealing key ${identity.sealingPublicKey}`);

  const database = await EvaluatorDatabase.open({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  logger.log(`database ready (${database.backend}, ${database.appliedMigrations.length} migrations applied)`);

  let app: INestApplication;
  try {
    app = await createApp(config, keys, database);
    await app.listen(config.port, config.host);
  } catch (error) {
    await database.close();
    throw error;
  }

  const port = (app.getHttpServer().address() as { port: number }).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.log(`evaluator ${EVALUATOR_VERSION} listening on ${url}`);
  const stop = async (): Promise<void> => {
    await app.close();
    await database.close();
  };
  return { app, url, port, stop };
}

async function createApp(config: EvaluatorConfig, keys: ReturnType<typeof loadOrCreateKeys>['keys'], database: EvaluatorDatabase) {
  const app = await NestFactory.create<NestExpressApplication>(EvaluatorAppModule.register({ config, keys, database }), {
    bodyParser: true,
    logger: ['log', 'warn', 'error'],
  });
  // Registered first, so it reads an authenticated compute request before the default parser would refuse its size.
  app.use(computeBodyParser(config.orchestratorToken));
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
  // Peer frames are read by PeerConnection; Nest's default parser would decode every binary MPC frame as JSON text and drop it.
  app.useWebSocketAdapter(new WsAdapter(app, { messageParser: () => undefined }));
  app.useGlobalPipes(new BodyDepthPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('sealbid evaluator')
      .setDescription('REST API of one sealbid evaluator (MPC party)')
      .setVersion(EVALUATOR_VERSION)
      .addBearerAuth()
      .build(),
  );
  app.getHttpAdapter().get('/v1/openapi.json', (_request: unknown, response: { json(body: unknown): void }) => response.json(document));
  return app;
}
