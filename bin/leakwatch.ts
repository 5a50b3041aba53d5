#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// V8's compiled code for leakwatch's modules is cached on disk (the OS temp directory, or NODE_COMPILE_CACHE;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): from the second run on, a command starts about twice as fast,
// which is most of the time a small `leakwatch scan` takes. The CLI is imported only once the cache is on.
enableCompileCache();
const { main, processIo } = await import('../src/cli.ts');

process.exitCode = await main(process.argv.slice(2), processIo);
