import type { ServiceDeps } from './deps';
import { impl } from './implementer';

const SCHEDULES = 'system.schedules';

export function schedulesService({ catalog, jobs, rights, engine }: ServiceDeps) {
  return {
    list: impl.schedules.list.handler(({ context }) => {
      catalog.readable(SCHEDULES, context.acting.subject);
      return jobs.maintenance.planned();
    }),
    run: impl.schedules.run.handler(({ input, context }) => {
      // A run starts jobs: the right to start them, as jobs.start (read-only mode decides per job kind).
      rights.assert(context.acting.subject, 'manageJobs');
      const started = jobs.maintenance.run(input.id);
      return { jobs: started, outcome: engine.system.schedules.get(input.id)?.last_outcome ?? null };
    }),
  };
}
