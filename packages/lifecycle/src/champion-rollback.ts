import { CHAMPION } from './model-registry.js';
import type { HistoryEvent } from './model-registry.js';

/** Drops the current champion (and unset markers) from the top of the stack; returns the new top. */
function previous(stack: Array<string | null>, current: string | null): string | null {
  while (stack.length > 0 && (stack[stack.length - 1] === current || stack[stack.length - 1] === null)) stack.pop();
  return stack[stack.length - 1] ?? null;
}

/**
 * The version `champion` should go back to, or `null` when there is none. Pure.
 *
 * Replays the champion's history (oldest first) as a stack: a move pushes the new version, a
 * delete pushes "unset", a rollback pops back to its target. So successive rollbacks walk back
 * through earlier champions (v3 → v2 → v1) instead of bouncing between the last two. A
 * `currentChampion` that the history does not explain (moved outside driftwatch) is pushed first.
 * Cost: O(history).
 */
export function rollbackTarget(historyOldestFirst: readonly HistoryEvent[], currentChampion: string | null): string | null {
  const stack: Array<string | null> = [];
  for (const event of historyOldestFirst) {
    if (event.alias !== CHAMPION) continue;
    if (event.action === 'alias_set') {
      if (stack[stack.length - 1] !== event.version) stack.push(event.version);
    } else if (event.action === 'alias_deleted') {
      stack.push(null);
    } else if (event.action === 'rollback') {
      if (previous(stack, event.previousVersion) !== event.version) stack.push(event.version);
    }
  }
  if (currentChampion === null) return null;
  if (stack[stack.length - 1] !== currentChampion) stack.push(currentChampion);
  return previous(stack, currentChampion);
}
