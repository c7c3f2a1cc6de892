import { Module } from '@nestjs/common';
import { SupervisionService } from '../supervision/supervision.service.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';

/**
 * Downloads: `GET /projects/export` (the ledger), `/supervision/stuck/export`, `/supervision/summary/export` and
 * `/supervision/weekly-report`. Imported before the projects module, so `projects/export` is routed here and not
 * taken for a project code.
 */
@Module({ controllers: [ExportsController], providers: [ExportsService, SupervisionService] })
export class ExportsModule {}
