import type { Engine } from '../engine/engine';
import type { SystemCatalog } from './catalog';
import type { ChangeBus } from './change-bus';
import type { ReadOnlySwitch } from './read-only';
import type { Writer } from './writer';

/** Facts about this process that engine.info reports. */
export interface RuntimeInfo {
  readonly appVersion: string;
  readonly mode: 'electron' | 'web';
  readonly dataDir: string;
  readonly logPath: string;
  readonly sqliteVersion: string;
}

/** What the handler modules share; built once by createServices. */
export interface ServiceDeps {
  readonly engine: Engine;
  readonly catalog: SystemCatalog;
  readonly bus: ChangeBus;
  readonly readOnly: ReadOnlySwitch;
  readonly writer: Writer;
  readonly runtime: RuntimeInfo;
}
