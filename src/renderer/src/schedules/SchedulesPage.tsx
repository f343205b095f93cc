import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PlannedSchedule } from '../../../shared/contract';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { useEngineInfo } from '../app/engine';
import { refusal } from '../app/gates';
import { routeHref } from '../app/routes';
import { Alert } from '../components/Alert';
import { CaptionedTable } from '../components/CaptionedTable';
import { useToast } from '../components/toast-context';
import { DeleteDialog } from '../editor/DeleteDialog';
import { editableTable } from '../editor/editable';
import type { EntityDialog } from '../editor/EntityActions';
import { EditorDialog } from '../editor/EditorDialog';
import { describeOptions } from '../grid/open-table';
import { invalidateJobs } from '../jobs/job-cache';
import { formatElapsed, formatTime } from '../jobs/job-text';
import { describeViewAs, useViewAs } from '../view-as/view-as-store';

const TABLE = 'system.schedules';
/** Runs end in a job's time: the list follows them. */
const REFRESH_MS = 3_000;

type Schedule = PlannedSchedule['schedule'];

/** Kinds whose jobs only read: read-only mode lets them run (the engine decides the same per job kind). */
const READS_ONLY: ReadonlySet<Schedule['kind']> = new Set(['backup', 'index_verify']);

function timing(s: Schedule): string {
  if (s.cron !== null) return `cron ${s.cron}${s.timezone ? ` (${s.timezone})` : ''}`;
  return `every ${formatElapsed((s.interval_seconds ?? 0) * 1000)}`;
}

function what(s: Schedule): string {
  switch (s.kind) {
    case 'backup':
      return `backup to ${s.folder_template ?? '—'}, keep the last ${s.keep_last ?? '—'}`;
    case 'compact':
      return `compact ${s.table ?? 'every table'}: scopes with ${s.min_segments ?? 4}+ segments or 2+ under ${s.small_mb ?? 1} MB`;
    case 'evict':
      return 'evict expired stream rows';
    case 'index_verify':
      return `verify the indexes of ${s.table ?? 'every system table'}`;
  }
}

/** The last run's outcome, its job (the line starts with the job's id) a link to the Jobs page. */
function Outcome({ s }: { s: Schedule }) {
  const job = s.last_job_id;
  const text = s.last_outcome ?? '';
  if (!job) return <>{text}</>;
  return (
    <>
      <a href={routeHref({ view: 'jobs', job })}>{job}</a>
      {text.startsWith(job) ? text.slice(job.length) : ` ${text}`}
    </>
  );
}

/**
 * The maintenance planner: every schedule, when it runs next, what its last run did; run one now,
 * and create, edit or delete schedules in system.schedules' own forms. Each control that is off
 * says why (read-only mode, the subject's rights), as the engine would refuse it.
 */
export function SchedulesPage() {
  const info = useEngineInfo().data;
  const viewAs = useViewAs();
  const description = useQuery(describeOptions(TABLE));
  const editable = description.data ? editableTable(description.data) : undefined;
  const schedules = useQuery({ ...orpc.schedules.list.queryOptions(), refetchInterval: REFRESH_MS });
  const queryClient = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<EntityDialog | undefined>();
  const readOnly = info?.readOnly ?? true;

  // Changing a schedule writes system.schedules; running one starts jobs (a backup or a verification
  // only reads, so read-only mode lets it run, as the engine does).
  const viewedAs = viewAs.kind === 'admin' ? '' : `Viewed as ${describeViewAs(viewAs)}: `;
  const changeBlocked =
    refusal(info, { write: true }) ??
    (description.isError
      ? `${viewedAs}${errorMessage(description.error)}`
      : !description.data
        ? 'Checking what you may do…'
        : description.data.canWrite
          ? undefined
          : `${viewedAs}this subject cannot change ${TABLE}`);
  const runBlocked = (s: Schedule) => refusal(info, { right: 'manageJobs', write: !READS_ONLY.has(s.kind) });

  const run = useMutation(orpc.schedules.run.mutationOptions());
  const runNow = (id: string) =>
    run.mutate(
      { id },
      {
        onSuccess: ({ outcome }) => {
          toast.show({ kind: 'info', message: `Schedule ${id}: ${outcome ?? 'ran'}` });
          void invalidateJobs(queryClient);
          void queryClient.invalidateQueries({ queryKey: orpc.schedules.key() });
        },
        onError: (e) => toast.error(e, `Schedule ${id} could not run`),
      },
    );
  const close = () => setDialog(undefined);

  return (
    <div className="view view--padded">
      <header className="view__header">
        <h1 className="view__title">Schedules</h1>
        <div className="toolbar" role="toolbar" aria-label="Schedule actions">
          <button
            type="button"
            className="button button--primary button--small"
            disabled={changeBlocked !== undefined || !editable}
            title={changeBlocked ?? 'A backup, a compaction or an eviction on an interval or a cron expression'}
            onClick={() => setDialog({ mode: 'create' })}
          >
            New schedule
          </button>
          <a className="button button--small" href={routeHref({ view: 'table', table: TABLE })} title={`The schedules as rows of ${TABLE}`}>
            Open {TABLE}
          </a>
        </div>
      </header>
      <p className="muted">
        Backups (with retention of this schedule&apos;s own backups), compactions and evictions on an interval or a cron expression. Every run is an ordinary
        job on the Jobs page; read-only mode stops the ones that write.
      </p>
      {changeBlocked && schedules.data ? (
        <p className="muted" role="note" data-testid="schedules-blocked">
          Schedules cannot be created, edited or deleted: {changeBlocked}.
        </p>
      ) : null}
      {schedules.isError ? (
        <Alert kind="error" title="Schedules are unavailable">
          {errorMessage(schedules.error)}
        </Alert>
      ) : null}
      {schedules.data && schedules.data.length === 0 ? <p className="muted">No schedules yet.</p> : null}
      {schedules.data && schedules.data.length > 0 ? (
        <CaptionedTable
          className="stats-table"
          caption="Schedules"
          headers={['Schedule', 'What', 'When', 'Next run', 'Last run', 'Outcome', 'Backups kept', 'Actions']}
        >
          {schedules.data.map(({ schedule: s, next_run_at }) => {
            const blocked = runBlocked(s);
            return (
              <tr key={s.schedule_id} data-testid={`schedule-${s.schedule_id}`}>
                <td>
                  <a href={routeHref({ view: 'table', table: TABLE, key: s.schedule_id })}>{s.schedule_id}</a>
                  {s.enabled ? '' : ' (disabled)'}
                </td>
                <td>{what(s)}</td>
                <td>{timing(s)}</td>
                <td>{next_run_at === null ? '—' : formatTime(next_run_at)}</td>
                <td>{s.last_run_at === null ? 'never' : formatTime(s.last_run_at)}</td>
                <td className="schedule-outcome">
                  <Outcome s={s} />
                </td>
                <td className="num">{s.kind === 'backup' ? s.backups.length : '—'}</td>
                <td className="schedule-actions">
                  <button
                    type="button"
                    className="button button--small"
                    disabled={blocked !== undefined || run.isPending}
                    title={blocked ?? `Run ${s.schedule_id} now, as an ordinary job`}
                    onClick={() => runNow(s.schedule_id)}
                  >
                    Run now
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    disabled={changeBlocked !== undefined || !editable}
                    title={changeBlocked ?? `Edit ${s.schedule_id}`}
                    onClick={() => setDialog({ mode: 'edit', key: s.schedule_id })}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button--small button--danger-outline"
                    disabled={changeBlocked !== undefined || !editable}
                    title={changeBlocked ?? `Delete ${s.schedule_id} (its backups stay)`}
                    onClick={() => setDialog({ mode: 'delete', key: s.schedule_id })}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </CaptionedTable>
      ) : null}
      {editable && (dialog?.mode === 'create' || dialog?.mode === 'edit') ? (
        <EditorDialog editable={editable} request={dialog} readOnly={readOnly} onClose={close} onSaved={close} />
      ) : null}
      {editable && dialog?.mode === 'delete' ? (
        <DeleteDialog editable={editable} rowKey={dialog.key} readOnly={readOnly} onClose={close} onDeleted={close} />
      ) : null}
    </div>
  );
}
