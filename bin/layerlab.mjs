#!/usr/bin/env node
// `npx layerlab …`: the TypeScript entry runs through tsx's loader, so the repo needs
// no compile step before its own command works.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/layerlab.ts');
process.exitCode = await main(process.argv.slice(2));
