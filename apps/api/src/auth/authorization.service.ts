import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../../../../libs/auth/index.js';
import { allTrackDefinitions, getTrackDefinition, isDepartmentKey, type DepartmentKey, type TrackKey } from '../../../../libs/domain/index.js';
import { ProjectReadModelRepository } from '../../../../libs/persistence/index.js';
import { ApiErrorCode, ApiProblem } from '../common/problem.js';
import { decide, stepActionPermission, type Permission, type PolicyTarget } from './policy.js';
import { inSpan } from '../../../../libs/observability/tracing.js';

/**
 * Applies policy.ts to requests: refuses with 403 AUTH.FORBIDDEN naming the rule, and finds the department a
 * step belongs to (from the definition the project pinned, in the read model).
 */
@Injectable()
export class AuthorizationService {
  constructor(private readonly readModel: ProjectReadModelRepository) {}

  /**
   * Passes when {@link decide} allows `permission` to `user` on `target`.
   * @throws ApiProblem AUTH.FORBIDDEN (403) with the refusing rule in `rule` and the reason in `detail`
   */
  require(user: AuthenticatedUser, permission: Permission, target?: PolicyTarget): void {
    const decision = decide(user, permission, target);
    if (!decision.allowed) throw new ApiProblem(ApiErrorCode.Forbidden, decision.detail, undefined, undefined, decision.rule);
  }

  /**
   * Checks a step action (`step.act`; `step.reassign` for reassign; `step.extend` for extend, the department head's
   * only) against the step's department: the one of the project's pinned track definition, or — for a project the
   * read model does not know — of the released definitions that have a step with this key. An unknown project and step pass here and are refused by the
   * workflow (404), so nothing changes either way.
   * @throws ApiProblem AUTH.FORBIDDEN (403)
   */
  async requireStepAction(user: AuthenticatedUser, code: string, step: string, action: string): Promise<void> {
    const department = await this.stepDepartment(code, step);
    this.require(user, stepActionPermission(action), department ? { department, label: `step ${step}` } : undefined);
  }

  private async stepDepartment(code: string, step: string): Promise<DepartmentKey | null> {
    const project = await inSpan('authorization: read-model lookup', () => this.readModel.findProject(code));
    if (project) {
      const row = project.steps.find((s) => s.stepKey === step);
      if (row && isDepartmentKey(row.department)) return row.department;
      try {
        const found = getTrackDefinition(project.track as TrackKey, project.definitionVersion).steps.find((s) => s.key === step);
        if (found) return found.department;
      } catch {
        // a definition this build does not know: fall through to the released ones
      }
    }
    for (const def of allTrackDefinitions()) {
      const found = def.steps.find((s) => s.key === step);
      if (found) return found.department;
    }
    return null;
  }
}
