/**
 * Electron entry (out/main/index.js). Everything lives in src/main/electron; web mode has its own
 * entry (src/main/web.ts) that never loads Electron.
 */
import { runElectronApp } from './electron/main';

runElectronApp();
