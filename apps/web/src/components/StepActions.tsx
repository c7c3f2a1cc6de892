import { Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { useSession, type SessionUser } from '../auth/session';
import { ActionDialog, type StepActionKind } from './ActionDialog';

type StepDto = Schemas['StepDto'];

/**
 * The actions of `step` the signed-in person may take, in the API's order: the step's `availableActions` (what its
 * state allows) kept to what the authorization policy lets the caller do (apps/api/src/auth/policy.ts): officers and
 * heads act on their own department's steps only (`step.act`), reassign (转办) and extend (延期, 行政许可法 Art. 42)
 * are the department head's (`step.reassign`, `step.extend`); supervisors and admins take no step action. The API
 * decides again on every request; this only spares people buttons that would be refused.
 */
export function allowedStepActions(user: Pick<SessionUser, 'roles' | 'department'> | null, step: Pick<StepDto, 'department' | 'availableActions'>): StepActionKind[] {
  if (!user || user.department !== step.department) return [];
  const head = user.roles.includes('department_head');
  const acts = head || user.roles.includes('officer');
  return (step.availableActions as StepActionKind[]).filter((a) => (a === 'reassign' || a === 'extend' ? head : acts));
}

/** Props of {@link StepActions}. */
export interface StepActionsProps {
  /** The project's code. */
  projectCode: string;
  /** The step as the API answers it (`StepDto`). */
  step: StepDto;
  /** Called with the API's answer after an action succeeded (caches are already updated). */
  onDone?: (result: Schemas['ActionResultDto']) => void;
  /** Validities the step may renew (the project's `expiries` of this step), offered in the renew dialog. */
  expiries?: ReadonlyArray<{ key: string; name: string; nameZh: string }>;
  /** Button size; small in tables. */
  size?: 'small' | 'middle';
}

/**
 * The buttons of the actions the step allows the signed-in person ({@link allowedStepActions}), each opening an
 * {@link ActionDialog} for that action. Each button's accessible name is the action and the step (e.g. "办结 施工许可"),
 * so a row of buttons in a table reads unambiguously. Renders nothing when no action is allowed.
 */
export function StepActions({ projectCode, step, onDone, expiries, size = 'small' }: StepActionsProps) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const [action, setAction] = useState<StepActionKind | null>(null);
  const [lastAction, setLastAction] = useState<StepActionKind>('approve');
  const actions = allowedStepActions(user, step);
  if (actions.length === 0 && action === null) return null;
  const stepName = i18n.language === 'en' ? step.name : step.nameZh;
  return (
    <>
      <Space size={4} wrap data-testid={`step-actions-${step.key}`}>
        {actions.map((a) => (
          <Button
            key={a}
            size={size}
            type={a === 'approve' || a === 'accept' ? 'primary' : 'default'}
            danger={a === 'reject'}
            aria-label={`${t(`actions.${a}`)} ${stepName}`}
            data-action={a}
            onClick={() => {
              setLastAction(a);
              setAction(a);
            }}
          >
            {t(`actions.${a}`)}
          </Button>
        ))}
      </Space>
      <ActionDialog
        open={action !== null}
        projectCode={projectCode}
        step={step}
        action={action ?? lastAction}
        expiries={expiries}
        onClose={() => setAction(null)}
        onDone={onDone}
      />
    </>
  );
}
