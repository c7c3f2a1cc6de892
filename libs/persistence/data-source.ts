import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * TypeORM options for the read model on PostgreSQL: entities and migrations by class list, schema only
 * by migrations (never `synchronize`).
 * @param url `postgres://user:password@host:port/database`
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}

/** A DataSource (not yet initialised) for `url`. */
export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}

/**
 * Initialises a data source and applies pending migrations, each in its own transaction.
 * @returns the initialised data source
 * @throws the driver's error when PostgreSQL cannot be reached, or a migration's error
 */
export async function openDatabase(url: string): Promise<DataSource> {
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
