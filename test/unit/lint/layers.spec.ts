import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import path from 'node:path';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../../..') });

/** The `no-restricted-imports` messages ESLint reports for `source` as if it were the file at `filePath`. */
async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layer rule (eslint.config.js)', () => {
  it('refuses a library importing from activities/, workflows/ or apps/', async () => {
    const messages = await restrictedImports(
      'libs/persistence/probe.ts',
      [
        "import type { ClockActivities } from '../../activities/clock.activities.js';",
        "import type { projectWorkflow } from '../../workflows/project.workflow.js';",
        "import { CALENDAR_SOURCE } from '../../apps/api/src/database/calendar-source.provider.js';",
        'export type Probe = [ClockActivities, typeof projectWorkflow, typeof CALENDAR_SOURCE];',
      ].join('\n'),
    );
    expect(messages).toHaveLength(3);
    for (const m of messages) expect(m).toMatch(/libs\/ is the lower layer/);
  });

  it('refuses NestJS, TypeORM, pg, the Temporal client and worker, and the persistence library in the domain', async () => {
    const messages = await restrictedImports(
      'libs/domain/probe.ts',
      [
        "import { Injectable } from '@nestjs/common';",
        "import { Repository } from 'typeorm';",
        "import { Pool } from 'pg';",
        "import { Client } from '@temporalio/client';",
        "import { Worker } from '@temporalio/worker';",
        "import { ProjectReadModelRepository } from '../persistence/index.js';",
        'export const probe = [Injectable, Repository, Pool, Client, Worker, ProjectReadModelRepository];',
      ].join('\n'),
    );
    expect(messages).toHaveLength(6);
  });

  it('refuses the API importing from activities/', async () => {
    const messages = await restrictedImports(
      'apps/api/src/probe.ts',
      "import type { ClockActivities } from '../../../activities/clock.activities.js';\nexport type Probe = ClockActivities;\n",
    );
    expect(messages).toEqual([expect.stringMatching(/apps\/api may not import activities/)]);
  });

  it('lets a library import another library and the API import libraries', async () => {
    expect(await restrictedImports('libs/persistence/probe.ts', "import { addDays } from '../calendar/index.js';\nexport const probe = addDays;\n")).toEqual([]);
    expect(
      await restrictedImports('apps/api/src/probe.ts', "import type { CalendarSource } from '../../../libs/calendar/index.js';\nexport type Probe = CalendarSource;\n"),
    ).toEqual([]);
  });
});
