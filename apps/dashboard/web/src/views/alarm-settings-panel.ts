import type { AppContext } from '../app-context';
import { AlarmSettingsView, effectiveSettings } from '../contracts';
import { ApiError } from '../api-client';
import { h } from '../dom';
import { formatDateTime, formatNumber, PARAMETERS } from '../format';
import { baselineValue, PROFILE_FIELDS, setAt, valueAt } from '../settings-paths';

/** Baseline (with reset) and the bed's alarm profile (common limits as a form, everything else as JSON). */
export class AlarmSettingsPanel {
  readonly element: HTMLElement;
  private readonly baselineBody: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly json: HTMLTextAreaElement;
  private readonly feedback: HTMLElement;
  private settings: AlarmSettingsView | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly bedId: string,
    private readonly onChanged: (settings: AlarmSettingsView) => void,
  ) {
    this.baselineBody = h('div', { class: 'baseline-body' });
    const reset = h('button', { type: 'button', class: 'danger', text: 'Reset baseline' });
    reset.addEventListener('click', () => void this.resetBaseline(reset));
    this.form = h('form', { class: 'profile-form', 'aria-label': 'Alarm limits' });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.saveForm();
    });
    this.json = h('textarea', { class: 'profile-json', rows: 8, spellcheck: 'false', 'aria-label': 'Partial bed profile as JSON' });
    const jsonSave = h('button', { type: 'button', text: 'Apply JSON' });
    jsonSave.addEventListener('click', () => void this.saveJson());
    this.feedback = h('p', { class: 'feedback', role: 'status', 'aria-live': 'polite' });
    this.element = h(
      'section',
      { class: 'panel settings', 'aria-labelledby': 'settings-title' },
      h('h3', { id: 'settings-title', text: 'Baseline and alarm profile' }),
      h('div', { class: 'settings-layout' }, h('div', {}, h('h4', { text: 'Baseline' }), this.baselineBody, reset), h('div', {}, h('h4', { text: 'Alarm limits' }), this.form)),
      h('details', { class: 'advanced' }, h('summary', { text: 'Other settings (JSON, partial profile)' }), this.json, jsonSave),
      this.feedback,
    );
  }

  async load(): Promise<void> {
    try {
      this.show(await this.ctx.api.alarmSettings(this.bedId));
    } catch (error) {
      this.feedback.textContent = `Alarm settings unavailable: ${describe(error)}`;
    }
  }

  private show(settings: AlarmSettingsView): void {
    this.settings = settings;
    const b = settings.baseline;
    const established = b ? valueAt(b, 'established_ms') : null;
    const status = typeof established === 'number' ? `Established ${formatDateTime(established)}` : b ? 'Collecting…' : 'No baseline yet';
    this.baselineBody.replaceChildren(
      h('p', { class: 'muted', text: status }),
      h('dl', { class: 'kv-list baseline-values' }, ...PARAMETERS.map((p) => h('div', { class: 'kv' }, h('dt', { text: p.label }), h('dd', { text: `${formatNumber(baselineValue(b, p.key), p.digits)} ${p.unit}` })))),
    );
    this.renderForm(effectiveSettings(settings));
    this.onChanged(settings);
  }

  private renderForm(profile: Record<string, unknown>): void {
    const rows = PROFILE_FIELDS.filter((f) => valueAt(profile, f.limitPath) !== undefined).map((f) => {
      const limit = valueAt(profile, f.limitPath);
      const hold = valueAt(profile, `rules.${f.rule}.hold_ms`);
      const enabled = valueAt(profile, `rules.${f.rule}.enabled`) !== false;
      const id = `pf-${f.rule}`;
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, h('label', { for: `${id}-limit`, text: f.label })),
        h('td', {}, h('input', { type: 'checkbox', name: `rules.${f.rule}.enabled`, checked: enabled, 'aria-label': `${f.label} enabled` })),
        h('td', {}, h('input', { id: `${id}-limit`, type: 'number', step: 'any', name: f.limitPath, value: String(limit), inputmode: 'decimal' }), ` ${f.unit}`),
        h('td', {}, h('input', { type: 'number', step: 'any', min: '0', name: `rules.${f.rule}.hold_ms`, value: typeof hold === 'number' ? String(hold / 1000) : '', 'aria-label': `${f.label} hold time in seconds`, 'data-scale': '1000' }), ' s'),
      );
    });
    this.form.replaceChildren(
      h('table', { class: 'profile-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Rule' }), h('th', { scope: 'col', text: 'On' }), h('th', { scope: 'col', text: 'Limit' }), h('th', { scope: 'col', text: 'Hold' }))), h('tbody', {}, ...rows)),
      h('button', { type: 'submit', class: 'primary', text: 'Save limits' }),
    );
    this.json.value = JSON.stringify({ rules: {} }, null, 2);
  }

  /** Only what the operator changed is sent: the server merges it onto the defaults and checks consistency. */
  private async saveForm(): Promise<void> {
    if (!this.settings) return;
    const partial: Record<string, unknown> = {};
    for (const input of this.form.querySelectorAll<HTMLInputElement>('input[name]')) {
      const current = valueAt(effectiveSettings(this.settings), input.name);
      let next: unknown;
      if (input.type === 'checkbox') next = input.checked;
      else {
        if (input.value.trim() === '') continue;
        next = Number(input.value) * Number(input.dataset.scale ?? 1);
        if (!Number.isFinite(next as number)) {
          this.feedback.textContent = `${input.getAttribute('aria-label') ?? input.name} is not a number`;
          input.focus();
          return;
        }
      }
      if (next !== current) setAt(partial, input.name, next);
    }
    if (!Object.keys(partial).length) {
      this.feedback.textContent = 'Nothing changed.';
      return;
    }
    await this.put(partial);
  }

  private async saveJson(): Promise<void> {
    let partial: unknown;
    try {
      partial = JSON.parse(this.json.value);
    } catch (error) {
      this.feedback.textContent = `The JSON is not valid: ${(error as Error).message}`;
      return;
    }
    await this.put(partial);
  }

  private async put(partial: unknown): Promise<void> {
    this.feedback.textContent = 'Saving…';
    try {
      await this.ctx.api.updateProfile(this.bedId, partial);
      await this.load();
      this.feedback.textContent = 'Profile saved.';
    } catch (error) {
      this.feedback.textContent = `Not saved: ${describe(error)}`;
    }
  }

  private async resetBaseline(button: HTMLButtonElement): Promise<void> {
    if (!window.confirm(`Reset the baseline of bed ${this.bedId}? Change alarms are paused until a new baseline is collected.`)) return;
    button.disabled = true;
    try {
      await this.ctx.api.resetBaseline(this.bedId);
      this.feedback.textContent = 'Baseline reset: collecting a new one.';
      await this.load();
    } catch (error) {
      this.feedback.textContent = `Baseline not reset: ${describe(error)}`;
    } finally {
      button.disabled = false;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof ApiError ? `${error.status} ${error.message}` : String(error);
}
