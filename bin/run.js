#!/usr/bin/env node
// ksim command-line entry: oclif discovers commands in dist/commands (see package.json "oclif").
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
