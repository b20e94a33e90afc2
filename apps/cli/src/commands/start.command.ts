import { Command } from 'commander';
import { integerIn } from './option-parsers';
import { exitIfShutdownHangs, startApp } from '@aicrn/nest-platform';
import { AppConfig, ConfigError } from '@aicrn/platform';
import { embeddedFeatures } from '../../../embedded/src/embedded.features';


/** `aicrn start`: the whole pipeline in one process (what `npm start` runs). */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the embedded pipeline (ingestion, inference, alerting, simulated beds, API and dashboard) in one process')
    .option('--beds <n>', 'simulated beds (env SIM_BEDS, default 8; 0 = no simulator)', (v: string) => String(integerIn('--beds', 0, 500)(v)))
    .option('--port <port>', 'HTTP port (env PORT, default 3000)', (v: string) => String(integerIn('--port', 0, 65535)(v)))
    .option('--host <host>', 'HTTP bind address (env HOST, default 127.0.0.1)')
    .option('--json', 'print one JSON line with the URLs on stdout once ready')
    .action(async (options: { beds?: string; port?: string; host?: string; json?: boolean }) => {
      const env = { ...process.env };
      if (options.beds !== undefined) env.SIM_BEDS = options.beds;
      if (options.port !== undefined) env.PORT = options.port;
      if (options.host !== undefined) env.HOST = options.host;
      // The embedded demo runs in memory by design; distributed mode is the separate apps.
      delete env.KAFKA_BROKERS;
      delete env.REDIS_URL;
      try {
        const running = await startApp('embedded', embeddedFeatures, env);
        exitIfShutdownHangs(running.config, running.logger);
        const { url, config } = running;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ url, dashboard: `${url}/`, api: `${url}/api/beds`, beds: config.simulator.beds, auth: config.authMode })}\n`);
        } else {
          process.stderr.write(
            [
              '',
              `  AICRN Telemetry (embedded: in-memory transport and state, ${config.simulator.beds} simulated beds)`,
              `  Dashboard  ${url}/`,
              `  API        ${url}/api/beds   ${url}/api/alerts?state=active`,
              `  Metrics    ${url}/metrics    Health ${url}/health`,
              `  Measures   ${describeMethod(config.measureMethod)}`,
              `  Auth       ${config.authMode === 'open' ? 'OPEN (local demo only: no login, anyone who can reach this port can acknowledge alarms)' : 'JWT bearer tokens'}`,
              '  Ctrl-C to stop.',
              '',
            ].join('\n') + '\n',
          );
        }
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`aicrn start: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
    });
}

/** The start-up banner's line on how windows are measured. */
function describeMethod(method: AppConfig['measureMethod']): string {
  if (method === 'dsp') return 'DSP (MEASURE_METHOD=auto: the AICRN network, consensus: the mean of both; see the model card)';
  if (method === 'consensus') return 'the mean of the AICRN network and DSP where the network can (MEASURE_METHOD=consensus), else DSP';
  return `the AICRN network where it can (MEASURE_METHOD=${method}), else DSP`;
}
