import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../libs/persistence/index.js';

/**
 * A fresh database on the run's embedded PostgreSQL (started by global-setup.ts), migrated.
 * @param prefix readable part of the database name
 * @returns the open data source and its URL
 */
export async function createTestDatabase(prefix: string): Promise<{ dataSource: DataSource; url: string }> {
  const admin = process.env.TEST_PG_URL;
  if (!admin) throw new Error('TEST_PG_URL is not set: run this test through jest (globalSetup starts PostgreSQL)');
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  return { dataSource: await openDatabase(url), url };
}
