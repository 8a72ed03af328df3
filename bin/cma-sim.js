#!/usr/bin/env node
// The command line runs the build (dist/, made by `npm run build`, which `npm install` runs as
// `prepare`): one Node process, no TypeScript loader unless a .ts scenario is given.
import '../dist/lib/cli/main.js';
