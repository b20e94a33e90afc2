import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<boolean | string>;

/** Named readiness checks (broker, Redis, model loaded) that /ready reports. */
@Injectable()
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of this.checks) {
      let outcome: boolean | string;
      try {
        outcome = await Promise.race([check(), new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), 2000).unref())]);
      } catch (error) {
        outcome = (error as Error).message;
      }
      checks[name] = outcome === true ? 'ok' : outcome === false ? 'not ready' : String(outcome);
      ready &&= outcome === true;
    }
    return { ready, checks };
  }
}
