#!/usr/bin/env node
// The `clipmix` CLI. Sources are TypeScript, loaded through tsx's ESM hooks (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
