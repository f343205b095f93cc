/** The CLI's entry (`npm run cli`): see run.ts. */
import { main } from './run';

process.exitCode = await main(process.argv.slice(2));
