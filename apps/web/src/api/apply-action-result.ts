import type { QueryClient } from '@tanstack/react-query';
import type { Schemas } from './client';
import { keysTouchedByProject, queryKeys } from './query-keys';

type ActionResult = Schemas['ActionResultDto'];
type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** How long after an action the lists are refetched: the read model is written just after the workflow answers. */
export const REFETCH_AFTER_ACTION_MS = 1_200;

/**
 * Shows an action's outcome at once in every cached view of the project, then refetches them.
 *
 * Input: the query client, the project code and the API's answer to a step or project action (the project after it,
 * and the step acted on for step actions). The project page's `['project', code]` takes the project as answered; a
 * work-queue row of that step takes the new step; a stuck-list row of that project takes its supervision (督办) and
 * light; a project-list row takes the project. Every key the project touches is then marked stale, and the mounted
 * ones are refetched after {@link REFETCH_AFTER_ACTION_MS} (the read model is fed from the workflow just after it
 * answers, so an immediate refetch could bring the old row back for a moment). The live stream may refresh sooner.
 */
export function applyActionResult(client: QueryClient, code: string, result: ActionResult): void {
  const project = result.project;
  const step = result.step;
  client.setQueryData<Schemas['ProjectDto']>(queryKeys.project(code), (old) => (old === undefined ? old : project));
  if (step) {
    client.setQueriesData<Page<Schemas['TaskDto']>>({ queryKey: queryKeys.all.tasks }, (old) =>
      old?.items
        ? { ...old, items: old.items.map((t) => (t.projectCode === code && t.step.key === step.key ? { ...t, step } : t)) }
        : old,
    );
  }
  client.setQueriesData<Page<Schemas['StuckProjectDto']>>({ queryKey: queryKeys.all.stuck }, (old) =>
    old?.items
      ? {
          ...old,
          items: old.items.map((p) =>
            p.code === code ? { ...p, underSupervision: project.underSupervision, supervision: project.supervision, light: project.light as typeof p.light } : p,
          ),
        }
      : old,
  );
  client.setQueriesData<Page<Schemas['ProjectDto']>>({ queryKey: queryKeys.all.projects }, (old) =>
    old?.items ? { ...old, items: old.items.map((p) => (p.code === code ? project : p)) } : old,
  );
  const keys = keysTouchedByProject(code);
  for (const queryKey of keys) void client.invalidateQueries({ queryKey, refetchType: 'none' });
  setTimeout(() => {
    for (const queryKey of keys) void client.invalidateQueries({ queryKey });
  }, REFETCH_AFTER_ACTION_MS);
}
