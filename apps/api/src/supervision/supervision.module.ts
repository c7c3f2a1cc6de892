import { Module } from '@nestjs/common';
import { SupervisionController } from './supervision.controller.js';
import { SupervisionService } from './supervision.service.js';

/** `GET /supervision/stuck` and `GET /supervision/summary`. */
@Module({ controllers: [SupervisionController], providers: [SupervisionService] })
export class SupervisionModule {}
