import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, it } from 'vitest';

/** A database of its own, created for one test file and dropped at its end. */
export interface TestDatabase {
  uri: string;
  drop(): Promise<void>;
}

interface Server {
  label: string;
  installHint: string;
  create(): Promise<TestDatabase>;
}

// Loopback only; the machine's servers are shared, so each run makes (and drops) a database of its own.
const uniqueName = () => `prompt_cache_test_${process.pid}_${randomBytes(4).toString('hex')}`;

const postgresAdmin = () =>
  new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
const mariadbAdmin = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });

export const postgresServer: Server = {
  label: 'PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth)',
  installHint: 'apt-get update && apt-get install -y postgresql && service postgresql start',
  async create() {
    const admin = postgresAdmin();
    await admin.connect();
    const name = uniqueName();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return {
      uri: `postgresql://postgres@127.0.0.1:5432/${name}`,
      async drop() {
        const client = postgresAdmin();
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end());
      },
    };
  },
};

export const mariadbServer: Server = {
  label: 'MariaDB/MySQL on 127.0.0.1:3306 (user root, no password)',
  installHint: 'apt-get update && apt-get install -y mariadb-server && service mariadb start',
  async create() {
    const admin = await mariadbAdmin();
    const name = uniqueName();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      // @keyv/mysql creates `value TEXT` (64 KB); entries can be larger, so the table is made first with LONGTEXT.
      await admin.query(`CREATE TABLE ${name}.keyv (id VARCHAR(255) PRIMARY KEY, value LONGTEXT)`);
    } finally {
      await admin.end();
    }
    return {
      uri: `mysql://root@127.0.0.1:3306/${name}`,
      async drop() {
        const client = await mariadbAdmin();
        await client.query(`DROP DATABASE IF EXISTS ${name}`).finally(() => client.end());
      },
    };
  },
};

/** Creates the database, or says why it cannot. */
export async function tryCreate(server: Server): Promise<TestDatabase | string> {
  try {
    return await server.create();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * `describe` with a fresh database of the server. When the server cannot be reached, CI fails (with the install
 * command) instead of passing silently; elsewhere the tests are skipped with a loud warning.
 */
export function describeWithDatabase(
  server: Server,
  database: TestDatabase | string,
  name: string,
  body: (database: TestDatabase) => void,
): void {
  if (typeof database !== 'string') {
    describe(name, () => body(database));
    return;
  }
  const why = `${server.label} is not reachable (${database}). Install it with: ${server.installHint}`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs its database server', () => {
        throw new Error(`[store-keyv] ${why}`);
      });
    });
    return;
  }
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! [store-keyv] "${name}" is SKIPPED: ${why}\n${line}\n`);
  describe.skip(`${name} (SKIPPED: no database server)`, () => body({ uri: '', drop: async () => {} }));
}
