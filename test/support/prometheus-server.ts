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
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<Daemon> {
  const configPath = join(options.workDir, 'prometheus.yml');
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
    ],
    baseUrl: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
  });
}
