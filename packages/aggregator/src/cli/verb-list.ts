import { checkVerb } from './check.js';
import { referenceBuildVerb } from './reference-build.js';
import { referencePushVerb } from './reference-push.js';
import { registryHistoryVerb } from './registry-history.js';
import { registryListVerb } from './registry-list.js';
import { registryPromoteVerb } from './registry-promote.js';
import { registryRollbackVerb } from './registry-rollback.js';
import { serveVerb } from './serve.js';
import type { CliVerb } from './verbs.js';

/** Every `driftwatch` verb, in help order. Add a verb here (one file per verb under cli/). */
export const CLI_VERBS: readonly CliVerb[] = [serveVerb, referenceBuildVerb, referencePushVerb, checkVerb, registryListVerb, registryPromoteVerb, registryRollbackVerb, registryHistoryVerb];
