import type { EngineInfo, SubjectRights } from '../../../shared/contract';
import { describeViewAs, getViewAs } from '../view-as/view-as-store';
import { useEngineInfo } from './engine';

/** What an action needs: it writes (refused in read-only mode), and/or a right of the subject. */
export interface Need {
  readonly write?: boolean;
  readonly right?: keyof SubjectRights;
}

/** Why read-only mode refuses writes now, or undefined. */
export function readOnlyReason(info: EngineInfo): string | undefined {
  if (!info.readOnly) return undefined;
  return info.readOnlyLocked ? `Read-only mode is locked for this run (${info.readOnlyReason ?? 'at launch'})` : 'Read-only mode is on';
}

/**
 * Why an action is not allowed, or undefined when it is: the engine's own refusal (engine.info's
 * rights, decided by the rules the main process enforces), said before anyone fills in a form.
 */
export function refusal(info: EngineInfo | undefined, need: Need): string | undefined {
  if (!info) return 'Checking what you may do…';
  const right = need.right ? info.rights[need.right] : null;
  if (right) {
    const viewAs = getViewAs();
    return viewAs.kind === 'admin' ? right : `Viewed as ${describeViewAs(viewAs)}: ${right}`;
  }
  return need.write ? readOnlyReason(info) : undefined;
}

/** Why writes are refused, said as the header says it (with a locked mode's reason): `readOnly` is the caller's view of the switch. */
export function useReadOnlyText(readOnly: boolean): string | undefined {
  const info = useEngineInfo().data;
  if (!readOnly) return undefined;
  return (info && readOnlyReason(info)) ?? 'Read-only mode is on';
}

/** The reason an action is off for the subject viewed as, or undefined (see refusal). */
export function useGate(need: Need): string | undefined {
  return refusal(useEngineInfo().data, need);
}
