import { Injectable, Logger } from '@nestjs/common';

/** Something to do once a project is registered (its code); errors are logged, never the registration's. */
export type RegistrationListener = (code: string) => Promise<void>;

/**
 * Listeners of project registrations: ProjectsService tells it after a project's workflow started and the read model
 * holds it; the events service applies the events parked for that code. A plain registry, so neither service depends on
 * the other.
 */
@Injectable()
export class ProjectRegistrations {
  private readonly listeners: RegistrationListener[] = [];
  private readonly log = new Logger(ProjectRegistrations.name);

  /** Adds a listener. */
  on(listener: RegistrationListener): void {
    this.listeners.push(listener);
  }

  /** Runs every listener for `code`, in order; a failing listener is logged and the others still run. */
  async registered(code: string): Promise<void> {
    for (const listener of this.listeners) {
      await listener(code).catch((err: unknown) => this.log.warn(`after registering ${code}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}
