import { randomUUID } from 'node:crypto';
import type { EngineEvent } from '../../shared/contract/events-contract';
import type { TableId } from '../../shared/keys/table-id';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';
import { eventFilter, registerLiveQueries } from './live-changes';

export function eventsService({ engine, bus, catalog, data, liveQueries, dataChanges, externalCatalog }: ServiceDeps) {
  return {
    /**
     * Engine events until the client aborts or the services close, filtered for the subject `as`
     * names. Each table in `tables` is a row of system.live_queries while the stream is open.
     * Bad input (an unknown table, one the subject may not read) fails the call itself.
     */
    subscribe: impl.events.subscribe.handler(({ input, context, signal }) => {
      const { acting } = context;
      const tables: TableId[] = (input?.tables ?? []).map((ref, i) => {
        const id = data.parseRef(ref, `tables.${i}`);
        // Only tables the subject may read can be watched (the engine's refusal says why).
        if (data.isSystem(id)) catalog.readable(ref, acting.subject);
        else data.resolve(id).store.readScope(acting.subject);
        return id;
      });
      const filter = eventFilter(acting, catalog, data);

      async function* events(): AsyncGenerator<EngineEvent, void, undefined> {
        const release = dataChanges.acquire();
        const releaseCatalog = externalCatalog.acquire();
        let live: { release: () => void } | undefined;
        try {
          live = registerLiveQueries(engine, bus, liveQueries, {
            user: acting.user,
            connectionId: context.connectionId,
            streamId: randomUUID(),
            tables,
            filter: acting.admin ? null : `as ${acting.subject.userId ?? 'no user'} (${acting.subject.role})`,
          });
          yield* bus.stream(signal, undefined, filter);
        } finally {
          release();
          releaseCatalog();
          live?.release();
        }
      }
      return events();
    }),
  };
}
