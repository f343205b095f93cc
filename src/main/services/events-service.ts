import type { ServiceDeps } from './deps';
import { impl } from './implementer';

export function eventsService({ bus }: ServiceDeps) {
  return {
    /** Engine events until the client aborts or the services close. */
    subscribe: impl.events.subscribe.handler(async function* ({ signal }) {
      yield* bus.stream(signal);
    }),
  };
}
