import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { refineOpenApiDocument } from '../../../apps/api/src/common/openapi.js';
import { pathMethods } from '../../../apps/api/src/common/method-not-allowed.js';
import { ProjectActionDto } from '../../../apps/api/src/projects/dto/project-action.dto.js';
import { RegisterProjectDto } from '../../../apps/api/src/projects/dto/register-project.dto.js';
import { StepActionDto } from '../../../apps/api/src/projects/dto/step-action.dto.js';
import { PROJECT_ACTIONS, STEP_ACTIONS } from '../../../libs/domain/index.js';
import { fieldErrors } from './validate-body.js';

/*
 * The OpenAPI document is what the web client and schemathesis believe: what it says a body needs must be what the
 * validation refuses, no more and no less.
 */

type Conditional = { anyOf: [{ properties: Record<string, { not: { enum: string[] } }> }, { required: string[] }] };

/** The fields the refined document requires of `schemaName` when `action` is `value`. */
function requiredFor(schemaName: string, value: string): string[] {
  const doc = { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { [schemaName]: { type: 'object', properties: {} } } } };
  refineOpenApiDocument(doc as unknown as OpenAPIObject);
  const allOf = (doc.components.schemas[schemaName] as { allOf?: Conditional[] }).allOf ?? [];
  return allOf.filter((c) => c.anyOf[0].properties.action!.not.enum.includes(value)).flatMap((c) => c.anyOf[1].required);
}

describe('the conditional requirements of the OpenAPI document agree with the validation', () => {
  const STEP_BODY = { comment: '材料不全，补正土地权属证明', assignee: 'nrp-wang', extensionWorkingDays: 10, exclusionKind: 'auction', renewalMonths: 3 };

  it.each([...STEP_ACTIONS])('step action %s: a field is refused when left out exactly when the document requires it', async (action) => {
    const required = requiredFor('StepActionDto', action);
    expect(await fieldErrors(StepActionDto, { action, ...STEP_BODY })).toEqual([]);
    for (const field of Object.keys(STEP_BODY)) {
      const body: Record<string, unknown> = { action, ...STEP_BODY };
      delete body[field];
      const refused = (await fieldErrors(StepActionDto, body)).map((e) => e.field);
      expect({ field, refused: refused.includes(field) }).toEqual({ field, refused: required.includes(field) });
    }
  });

  it.each([...PROJECT_ACTIONS])('project action %s: the comment is refused when left out exactly when the document requires it', async (action) => {
    const refused = (await fieldErrors(ProjectActionDto, { action })).map((e) => e.field);
    expect(refused.includes('comment')).toBe(requiredFor('ProjectActionDto', action).includes('comment'));
  });

  it('counts text length in characters as JSON Schema does, so a name of 200 astral characters is accepted', async () => {
    const body = { code: '2022-330602-39-03-000101', name: '𠮷'.repeat(200), district: '越城区', signedAt: '2022-03-05' };
    expect(await fieldErrors(RegisterProjectDto, body)).toEqual([]);
    expect((await fieldErrors(RegisterProjectDto, { ...body, name: '𠮷'.repeat(201) })).map((e) => e.field)).toEqual(['name']);
  });
});

describe('the methods each documented path allows', () => {
  const table = pathMethods({ paths: { '/api/v1/projects/{code}': { get: {} }, '/api/v1/calendar/{year}': { get: {}, put: {} } } } as unknown as OpenAPIObject);

  it('matches a path template segment by segment and lists its methods with HEAD and OPTIONS', () => {
    const year = table.find((t) => t.pattern.test('/api/v1/calendar/2025'));
    expect(year?.allow).toBe('GET, PUT, HEAD, OPTIONS');
    expect(table.some((t) => t.pattern.test('/api/v1/projects/a/b'))).toBe(false);
  });
});
