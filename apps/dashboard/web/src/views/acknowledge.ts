import type { AppContext } from '../app-context';
import type { Alert } from '../contracts';
import { ApiError } from '../api-client';
import { alertKindLabel } from '../format';

/** Acknowledges from the UI; the server's answer is applied at once (the live event follows and is a no-op). */
export async function acknowledge(ctx: AppContext, alert: Alert, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  button.textContent = 'Acknowledging…';
  try {
    const updated = await ctx.api.acknowledge(alert.alert_id, ctx.access.operator());
    ctx.state.applyAlert(updated);
    ctx.announce(`${alertKindLabel(alert.kind)} on bed ${alert.bed_id} acknowledged`);
  } catch (error) {
    button.disabled = false;
    button.textContent = 'Acknowledge';
    const message = error instanceof ApiError ? `${error.status} ${error.message}` : String(error);
    ctx.showProblem(`Could not acknowledge ${alertKindLabel(alert.kind)} on bed ${alert.bed_id}: ${message}`);
  }
}
