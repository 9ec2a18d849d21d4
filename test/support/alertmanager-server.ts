/** Starts the real Alertmanager binary on 127.0.0.1 with a given config, clustering disabled. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Daemon } from './daemon.js';
import { startDaemon } from './daemon.js';
import { freePort } from './free-port.js';

export interface StartAlertmanagerOptions {
  /** Path of the alertmanager binary (Debian: prometheus-alertmanager). */
  readonly binary: string;
  /** The alertmanager.yml text; relative template paths resolve against workDir. */
  readonly configYaml: string;
  /** A private temporary directory: config and notification log go there. */
  readonly workDir: string;
}

export async function startAlertmanager(options: StartAlertmanagerOptions): Promise<Daemon> {
  const configPath = join(options.workDir, 'alertmanager.yml');
  const dataDir = join(options.workDir, 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(configPath, options.configYaml);
  const port = await freePort();
  return startDaemon({
    command: options.binary,
    args: [
      `--config.file=${configPath}`,
      `--storage.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // an empty address disables the gossip cluster (it would bind 0.0.0.0:9094)
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    baseUrl: `http://127.0.0.1:${port}`,
    readyPath: '/-/ready',
  });
}
