/** Starts the real `prometheus` binary on 127.0.0.1 with a given config and a temporary data directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Daemon } from './daemon.js';
import { startDaemon } from './daemon.js';
import { freePort } from './free-port.js';

export interface StartPrometheusOptions {
  /** Path of the prometheus binary (see find-binary.ts). */
  readonly binary: string;
  /** The prometheus.yml text; rule_files in it should be absolute paths. */
  readonly configYaml: string;
  /** A private temporary directory: config and TSDB go there. */
  readonly workDir: string;
  /** more command-line flags, e.g. `--rules.alert.resend-delay=2s` */
  readonly extraArgs?: readonly string[];
}

const CONFIG_FILE = 'prometheus.yml';

export async function startPrometheus(options: StartPrometheusOptions): Promise<Daemon> {
  const configPath = join(options.workDir, CONFIG_FILE);
  const dataDir = join(options.workDir, 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(configPath, options.configYaml);
  const port = await freePort();
  return startDaemon({
    command: options.binary,
    args: [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...(options.extraArgs ?? []),
    ],
    baseUrl: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
  });
}

/**
 * Replaces the config of a Prometheus started by {@link startPrometheus} and reloads it (POST /-/reload,
 * which needs `--web.enable-lifecycle` in `extraArgs`). Throws when Prometheus refuses the new config.
 */
export async function reloadPrometheus(daemon: Daemon, workDir: string, configYaml: string): Promise<void> {
  await writeFile(join(workDir, CONFIG_FILE), configYaml);
  const response = await fetch(new URL('/-/reload', daemon.baseUrl), { method: 'POST' });
  if (!response.ok) throw new Error(`Prometheus refused the new config: HTTP ${response.status} ${await response.text()}\n${daemon.output()}`);
}
