import { ProjectState, type ProjectSnapshot } from './project/index.js';
import { toProjectView, type ProjectView } from './project-view.js';
import type { TrackDefinition } from './track-definition.js';
import { getTrackDefinition } from './tracks/index.js';

/**
 * The client view of a project snapshot, joined with the definition it pinned: `definition` when the caller has it
 * (a workflow that carries its definition, e.g. one published at run time), else the track registry's
 * (getTrackDefinition: shipped, or published and loaded into this process).
 * @throws DomainError DEFINITION.NOT_FOUND when no definition is given and the registry lacks the pinned one
 */
export function viewOfSnapshot(snapshot: ProjectSnapshot, definition?: TrackDefinition): ProjectView {
  return toProjectView(ProjectState.restore(definition ?? getTrackDefinition(snapshot.track, snapshot.definitionVersion), snapshot));
}
