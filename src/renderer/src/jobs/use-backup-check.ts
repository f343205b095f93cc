import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupSummary } from '../../../shared/jobs/backup-summary';
import type { JobProgress } from '../../../shared/system/jobs';
import { type ApiInputs, client } from '../api/client';

export type BackupCheckInput = ApiInputs['jobs']['checkBackup'];

/**
 * "Check backup": runs jobs.checkBackup (every check a restore makes, every checksum included)
 * and follows its progress. A new check, reset() or unmounting aborts the one running, which
 * stops it in the main process. `summary` is set only when a check of `input` finished.
 */
export function useBackupCheck() {
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const running = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => running.current?.abort(), []);
  const mutation = useMutation({
    mutationFn: async (input: BackupCheckInput): Promise<BackupSummary> => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      setProgress(null);
      const events = await client.jobs.checkBackup(input, { signal: controller.signal });
      for await (const event of events) {
        if (event.type === 'summary') return event.summary;
        setProgress(event.progress);
      }
      throw new Error('The check ended without a summary.');
    },
  });
  const { mutate, reset: resetMutation } = mutation;
  const check = useCallback((input: BackupCheckInput) => mutate(input), [mutate]);
  const reset = useCallback(() => {
    running.current?.abort();
    resetMutation();
    setProgress(null);
  }, [resetMutation]);
  return {
    check,
    reset,
    /** The input of the last check started. */
    input: mutation.variables,
    isChecking: mutation.isPending,
    progress,
    summary: mutation.data,
    error: mutation.error,
  };
}
