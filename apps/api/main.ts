import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../libs/config/app-config.js';
import { createApiApp } from './src/bootstrap.js';

/** API process: serves /api/v1 and /docs on PORT until SIGINT/SIGTERM, then closes its connections. */
async function main(): Promise<void> {
  const app = await createApiApp();
  const port = app.get(ConfigService<AppConfig, true>).get('PORT', { infer: true });
  await app.listen(port);
}

main().catch((err: unknown) => {
  process.stderr.write(`api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
