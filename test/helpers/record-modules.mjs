// Loaded with `node --import`: records the URL of every module the process resolves, one per line, in the file named
// by FIREBREAK_RECORD_MODULES. Tests use it to prove what a command does (and does not) load.
import { register } from 'node:module';

register(new URL('./record-modules-hooks.mjs', import.meta.url));
