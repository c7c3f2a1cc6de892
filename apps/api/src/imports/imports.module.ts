import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportsRepository } from '../../../../libs/persistence/index.js';
import { ProjectsService } from '../projects/projects.service.js';
import { ImportJobsService } from './import-jobs.service.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';

/** `POST /imports` and `GET /imports/{id}`: the ledger import, its dry run and its jobs. */
@Module({
  controllers: [ImportsController],
  providers: [
    ImportsService,
    ImportJobsService,
    ProjectsService,
    { provide: ImportsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new ImportsRepository(ds) },
  ],
})
export class ImportsModule {}
