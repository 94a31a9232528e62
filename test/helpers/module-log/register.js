// `node --import ./test/helpers/module-log/register.js ...`: appends the URL of every module the process resolves
// (through import or import(), in the main thread and in workers) to the file named by FIREBREAK_MODULE_LOG.
// Tests use it to prove which packages a command loads; it changes nothing else.
import { register } from 'node:module';

if (process.env.FIREBREAK_MODULE_LOG) register('./hooks.js', import.meta.url, { data: { log: process.env.FIREBREAK_MODULE_LOG } });
