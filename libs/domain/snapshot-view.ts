import { ProjectState, type ProjectSnapshot } from './project/index.js';
import { toProjectView, type ProjectView } from './project-view.js';
import { getTrackDefinition } from './tracks/index.js';

/**
 * The client view of a project snapshot, joined with the definition it pinned. Lets workflow history
 * carry only the snapshot (no definition texts).
 * @throws DomainError DEFINITION.NOT_FOUND when the pinned definition is unknown to this build
 */
export function viewOfSnapshot(snapshot: ProjectSnapshot): ProjectView {
  return toProjectView(ProjectState.restore(getTrackDefinition(snapshot.track, snapshot.definitionVersion), snapshot));
}
