import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { orpc } from '../api/client';

export function useEngineInfo() {
  return useQuery(orpc.engine.info.queryOptions());
}

/** Whether writes are off; true while the engine state is unknown, so nothing writes too early. */
export function useReadOnly(): boolean {
  const { data } = useEngineInfo();
  return data?.readOnly ?? true;
}

export function useSetReadOnly() {
  const queryClient = useQueryClient();
  return useMutation(
    orpc.engine.setReadOnly.mutationOptions({
      // Refetched rather than taken from the answer: the switch answers as the operator, the
      // header's info is the viewed-as subject's (its rights).
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: orpc.engine.info.key() }),
    }),
  );
}
