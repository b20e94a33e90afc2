import { Alert, AlertPriority, EcgMeasurement } from '@aicrn/contracts';
import { AlarmSettings, DRIFT_KINDS, KIND_PARAMETER, PHYSIOLOGICAL_KINDS, PhysiologicalKind, TechnicalKind } from './alarm-settings';
import * as lifecycle from './alarm-lifecycle';
import { TrackedAlert } from './alarm-lifecycle';
import { alertIdFor } from './alert-identity';
import { Baseline } from './baseline';
import { BED_ALARMS_STATE_VERSION, BedAlarmsState, ConditionState, TechnicalConditionState } from './bed-alarms-state';
import { BedProfile, parseBedProfile, resolveAlarmSettings } from './bed-profile';
import { CusumState, emptyCusum, updateCusum } from './cusum';
import { AlarmInputError, UnknownAlertError } from './errors';
import { fmt, formatDuration } from './format';
import { emptyHold, heldMs, HoldSettings, holdOff, holdOn, isHeld, PersistenceState } from './persistence';
import { checkRule, driftSd, KIND_TITLES, RuleReading, ruleText } from './rules';

const RECENT_WINDOW_IDS = 64;
const CLOSED_ALERT_IDS = 200;
/** Kinds judged against the baseline: a baseline reset ends their episodes. */
const BASELINE_KINDS: readonly PhysiologicalKind[] = ['qtc_increase', 'qrs_widening', 't_peaking', 'hr_change', ...DRIFT_KINDS];
const TECHNICAL_TITLES: Record<TechnicalKind, string> = { lead_off: 'Lead off', noisy_signal: 'Noisy signal' };

function emptyCondition(): ConditionState {
  return { hold: emptyHold(), engaged: false, ended_ms: null, open_alert_id: null };
}

/**
 * The alarm engine of one bed: quality gate, baseline, detectors with persistence, and the alert
 * lifecycle. Time comes only from the measurements (window_end_ms) and the explicit `nowMs`
 * arguments, never the wall clock, so replaying the same inputs yields the same events.
 */
export class BedAlarms {
  private state: BedAlarmsState;
  private settings: AlarmSettings;
  private baseline: Baseline;

  constructor(readonly bedId: string, options: { profile?: BedProfile; state?: BedAlarmsState } = {}) {
    if (typeof bedId !== 'string' || bedId.length === 0) throw new AlarmInputError('bed id must be a non-empty string');
    if (options.state) {
      const s = checkState(options.state, bedId);
      this.state = structuredClone(s);
    } else {
      const profile = parseBedProfile(options.profile ?? {});
      this.state = {
        version: BED_ALARMS_STATE_VERSION,
        bed_id: bedId,
        profile,
        last_window_end_ms: null,
        recent_window_ids: [],
        baseline: Baseline.empty(null),
        cusum: Object.fromEntries(DRIFT_KINDS.map((k) => [k, emptyCusum()])) as BedAlarmsState['cusum'],
        conditions: Object.fromEntries(PHYSIOLOGICAL_KINDS.map((k) => [k, emptyCondition()])) as BedAlarmsState['conditions'],
        technical: { ...emptyCondition(), lead_off_reason: null },
        alerts: [],
        closed_alert_ids: [],
      };
    }
    this.settings = resolveAlarmSettings(this.state.profile);
    this.baseline = new Baseline(this.settings.baseline, this.state.baseline);
  }

  /** Continues from a snapshot (e.g. loaded through the BedStateStore port). */
  static restore(state: BedAlarmsState): BedAlarms {
    if (!state || typeof state !== 'object') throw new AlarmInputError('bed alarm state must be an object');
    return new BedAlarms(state.bed_id, { state });
  }

  /** Processes one window; returns the alert events of every transition it caused, in order. */
  observe(m: EcgMeasurement): Alert[] {
    this.checkMeasurement(m);
    const s = this.state;
    if (s.recent_window_ids.includes(m.window_id)) return [];
    if (s.last_window_end_ms !== null && m.window_end_ms <= s.last_window_end_ms) return [];

    const events = this.escalateDue(m.window_end_ms);
    const quality = Number.isFinite(m.quality) ? m.quality : 0;
    const good = quality >= this.settings.quality.min_quality;
    this.observeQuality(m, quality, events);

    if (good) this.baseline.observe(m);
    const cusums: Partial<Record<string, CusumState>> = good ? this.updateCusums(m) : {};
    for (const kind of PHYSIOLOGICAL_KINDS) {
      const c = s.conditions[kind];
      if (!this.settings.rules[kind].enabled) {
        if (c.engaged) this.endCondition(kind, c, m.window_end_ms, 'rule disabled', null, events);
        c.hold = holdOff();
        continue;
      }
      const reading = checkRule(kind, this.settings, {
        measurement: good ? m : null,
        baseline: this.baseline,
        engaged: c.engaged,
        cusum: cusums[kind] ?? null,
      });
      this.applyReading(kind, c, reading, m, events);
    }

    s.last_window_end_ms = m.window_end_ms;
    s.recent_window_ids = [...s.recent_window_ids, m.window_id].slice(-RECENT_WINDOW_IDS);
    return events;
  }

  /** Escalations due by `nowMs` when no measurement arrives (e.g. a timer). */
  tick(nowMs: number): Alert[] {
    if (!Number.isFinite(nowMs)) throw new AlarmInputError(`tick time must be a finite epoch ms, got ${nowMs}`);
    return this.escalateDue(nowMs);
  }

  /**
   * Acknowledges an alert: raised/escalated -> acknowledged; latched -> cleared. Returns the event, or
   * null when the alert was already acknowledged or cleared. Throws UnknownAlertError for an id this
   * bed does not know.
   */
  acknowledge(alertId: string, user: string, nowMs: number): Alert | null {
    if (typeof user !== 'string' || user.trim().length === 0) throw new AlarmInputError('acknowledging user must be a non-empty string');
    if (!Number.isFinite(nowMs)) throw new AlarmInputError(`acknowledge time must be a finite epoch ms, got ${nowMs}`);
    const index = this.state.alerts.findIndex((t) => t.alert.alert_id === alertId);
    if (index < 0) {
      if (this.state.closed_alert_ids.includes(alertId)) return null;
      throw new UnknownAlertError(this.bedId, alertId);
    }
    const t = this.state.alerts[index];
    const title = titleOf(t.alert.kind);
    const message = t.alert.latched
      ? `${title}: acknowledged by ${user}; the condition had already ended, alert cleared`
      : `${title}: acknowledged by ${user}`;
    const next = lifecycle.acknowledge(t, user, nowMs, message);
    if (!next) return null;
    this.store(next);
    return next.alert;
  }

  /**
   * Starts a new baseline from windows at or after `nowMs` (e.g. after induction of anaesthesia).
   * Episodes judged against the old baseline end now (latching if unacknowledged); their events are returned.
   */
  resetBaseline(nowMs: number): Alert[] {
    this.baseline.reset(nowMs);
    const events: Alert[] = [];
    for (const kind of DRIFT_KINDS) this.state.cusum[kind] = emptyCusum();
    for (const kind of BASELINE_KINDS) {
      const c = this.state.conditions[kind];
      if (c.engaged) this.endCondition(kind, c, nowMs, 'baseline reset', null, events);
      c.hold = holdOff();
    }
    return events;
  }

  /** Replaces the bed's overrides (validated; throws BedProfileError). Applies from the next window. */
  setProfile(profile: BedProfile): void {
    const parsed = parseBedProfile(profile);
    this.settings = resolveAlarmSettings(parsed);
    this.state.profile = parsed;
    this.baseline.setSettings(this.settings.baseline);
  }

  snapshot(): BedAlarmsState {
    return structuredClone({ ...this.state, baseline: this.baseline.snapshot() });
  }

  /** Alerts not yet cleared (raised, escalated, acknowledged, or latched), oldest first. */
  activeAlerts(): Alert[] {
    return this.state.alerts.map((t) => structuredClone(t.alert));
  }

  baselineState(): BedAlarmsState['baseline'] {
    return this.baseline.snapshot();
  }

  resolvedSettings(): AlarmSettings {
    return structuredClone(this.settings);
  }

  private checkMeasurement(m: EcgMeasurement): void {
    if (!m || typeof m !== 'object') throw new AlarmInputError('measurement must be an object');
    if (m.bed_id !== this.bedId) throw new AlarmInputError(`measurement ${m.window_id} is for bed "${m.bed_id}", not "${this.bedId}"`);
    if (typeof m.window_id !== 'string' || m.window_id.length === 0) throw new AlarmInputError('measurement window_id must be a non-empty string');
    if (!Number.isFinite(m.window_start_ms) || !Number.isFinite(m.window_end_ms) || m.window_end_ms < m.window_start_ms) {
      throw new AlarmInputError(`measurement ${m.window_id} has an invalid window (${m.window_start_ms}..${m.window_end_ms})`);
    }
  }

  private holdSettings(holdMs: number): HoldSettings {
    const { persistence, lifecycle: l } = this.settings;
    return { hold_ms: holdMs, gap_tolerance_ms: persistence.gap_tolerance_ms, min_coverage: persistence.min_coverage, evidence_limit: l.evidence_limit };
  }

  private rearmed(c: ConditionState, atMs: number): boolean {
    return c.ended_ms === null || atMs - c.ended_ms >= this.settings.lifecycle.rearm_ms;
  }

  private updateCusums(m: EcgMeasurement): Partial<BedAlarmsState['cusum']> {
    const out: Partial<BedAlarmsState['cusum']> = {};
    if (!this.baseline.established) return out;
    for (const kind of DRIFT_KINDS) {
      const p = KIND_PARAMETER[kind];
      const value = m[p];
      const reference = this.baseline.value(p);
      if (typeof value !== 'number' || !Number.isFinite(value) || reference === null) continue;
      const rule = this.settings.rules[kind];
      const sd = driftSd(this.baseline, p, rule);
      this.state.cusum[kind] = updateCusum(this.state.cusum[kind], value, reference, sd, {
        allowance_sd: rule.allowance_sd,
        clip_sd: rule.clip_sd,
        cap_sd: 2 * rule.decision_sd,
      });
      out[kind] = this.state.cusum[kind];
    }
    return out;
  }

  private applyReading(kind: PhysiologicalKind, c: ConditionState, reading: RuleReading, m: EcgMeasurement, events: Alert[]): void {
    if (reading.state === 'missing') return;
    if (reading.state === 'off') {
      c.hold = holdOff();
      if (c.engaged) this.endCondition(kind, c, m.window_end_ms, reading.detail, reading.value, events);
      return;
    }
    const hold = this.holdSettings(this.settings.rules[kind].hold_ms);
    c.hold = holdOn(c.hold, m, hold);
    if (c.engaged || !isHeld(c.hold, hold) || !this.rearmed(c, m.window_end_ms)) return;
    c.engaged = true;
    const title = KIND_TITLES[kind];
    const open = c.open_alert_id ? this.find(c.open_alert_id) : null;
    if (open) {
      const next = lifecycle.conditionReturned(open, { at_ms: m.window_end_ms, value: reading.value, message: `${title}: condition present again: ${reading.detail}` });
      if (next) events.push(this.store(next));
      return;
    }
    const raised = lifecycle.raiseAlert({
      ...this.episode(kind, c.hold, m, this.settings.rules[kind].priority, 'physiological'),
      parameter: KIND_PARAMETER[kind],
      value: reading.value,
      baseline: reading.baseline,
      threshold: reading.threshold,
      rule: ruleText(kind, this.settings),
      message: `${title}: ${reading.detail}; held ${formatDuration(heldMs(c.hold))}`,
    });
    c.open_alert_id = raised.alert.alert_id;
    events.push(this.store(raised));
  }

  private observeQuality(m: EcgMeasurement, quality: number, events: Alert[]): void {
    const t = this.state.technical;
    const q = this.settings.quality;
    const reasons = Array.isArray(m.quality_reasons) ? m.quality_reasons.filter((r): r is string => typeof r === 'string') : [];
    const leadOff = reasons.find((r) => r.startsWith('lead_off'));
    const lowQuality = quality < (t.engaged ? q.min_quality + q.clear_margin : q.min_quality);
    // One electrode off leaves the window score high (the other leads are fine), yet the monitor must
    // announce it until someone reattaches it: a lead_off reason counts as a technical condition by itself.
    const low = lowQuality || leadOff !== undefined;
    if (!low) {
      t.hold = holdOff();
      t.lead_off_reason = null;
      if (t.engaged) this.endTechnical(t, m, quality, events);
      return;
    }
    const hold = this.holdSettings(q.technical_hold_ms);
    const before = t.hold.onset_ms;
    t.hold = holdOn(t.hold, m, hold);
    if (t.hold.onset_ms !== before && !t.engaged) t.lead_off_reason = null;
    if (leadOff) t.lead_off_reason = leadOff;
    if (t.engaged || !isHeld(t.hold, hold) || !this.rearmed(t, m.window_end_ms)) return;
    t.engaged = true;
    const kind: TechnicalKind = t.lead_off_reason ? 'lead_off' : 'noisy_signal';
    const reasonText = reasons.join(', ') || 'no reason given';
    const raised = lifecycle.raiseAlert({
      ...this.episode(kind, t.hold, m, kind === 'lead_off' ? q.lead_off_priority : q.technical_priority, 'technical'),
      parameter: null,
      value: quality,
      baseline: null,
      threshold: q.min_quality,
      rule: lowQuality
        ? `Signal quality < ${q.min_quality} for ${formatDuration(q.technical_hold_ms)}`
        : `Lead off (electrode disconnected) for ${formatDuration(q.technical_hold_ms)}`,
      message: lowQuality
        ? `${TECHNICAL_TITLES[kind]}: signal quality ${fmt(quality, 2)} below ${q.min_quality} for ${formatDuration(heldMs(t.hold))} (${t.lead_off_reason ?? reasonText})`
        : `${TECHNICAL_TITLES[kind]}: ${t.lead_off_reason} for ${formatDuration(heldMs(t.hold))}; signal quality ${fmt(quality, 2)}, measuring on the other leads`,
    });
    t.open_alert_id = raised.alert.alert_id;
    events.push(this.store(raised));
  }

  private endTechnical(t: TechnicalConditionState, m: EcgMeasurement, quality: number, events: Alert[]): void {
    t.engaged = false;
    t.ended_ms = m.window_end_ms;
    const open = t.open_alert_id ? this.find(t.open_alert_id) : null;
    if (!open) return;
    const title = titleOf(open.alert.kind);
    // Technical alarms do not latch: once the signal is back there is nothing left to act on.
    const next = lifecycle.conditionEnded(open, { at_ms: m.window_end_ms, value: quality, message: `${title}: signal quality back at ${fmt(quality, 2)}` }, false);
    if (next) events.push(this.store(next));
  }

  private endCondition(kind: PhysiologicalKind, c: ConditionState, atMs: number, why: string, value: number | null, events: Alert[]): void {
    c.engaged = false;
    c.ended_ms = atMs;
    const open = c.open_alert_id ? this.find(c.open_alert_id) : null;
    if (!open) return;
    const title = KIND_TITLES[kind];
    const message = open.alert.state === 'acknowledged' ? `${title}: condition ended (${why})` : `${title}: condition ended (${why}) before acknowledgement; latched until acknowledged`;
    const next = lifecycle.conditionEnded(open, { at_ms: atMs, value: value ?? open.alert.value, message }, true);
    if (next) events.push(this.store(next));
  }

  /** The fields every new alert of an episode shares: deterministic id, onset, evidence, attention. */
  private episode(kind: string, hold: PersistenceState, m: EcgMeasurement, priority: AlertPriority, category: Alert['category']) {
    return {
      alert_id: alertIdFor(this.bedId, kind, hold.onset_window_id ?? m.window_id),
      bed_id: this.bedId,
      kind,
      category,
      priority,
      evidence_window_ids: [...hold.evidence],
      attention: structuredClone(m.attention ?? []),
      onset_ms: hold.onset_ms ?? m.window_start_ms,
      raised_ms: m.window_end_ms,
    };
  }

  private escalateDue(nowMs: number): Alert[] {
    const events: Alert[] = [];
    const after = this.settings.lifecycle.escalate_after_ms;
    for (const t of [...this.state.alerts]) {
      const due = lifecycle.escalationDueMs(t, after);
      if (due === null || due > nowMs) continue;
      const message = `${titleOf(t.alert.kind)}: unacknowledged for ${formatDuration(after)}, escalated to high priority`;
      events.push(this.store(lifecycle.escalate(t, due, message)));
    }
    return events;
  }

  private find(alertId: string): TrackedAlert | null {
    return this.state.alerts.find((t) => t.alert.alert_id === alertId) ?? null;
  }

  /** Records a transition; a cleared alert leaves the open list. Returns a copy of the event. */
  private store(t: TrackedAlert): Alert {
    const s = this.state;
    const id = t.alert.alert_id;
    const index = s.alerts.findIndex((x) => x.alert.alert_id === id);
    if (t.alert.state === 'cleared') {
      if (index >= 0) s.alerts.splice(index, 1);
      s.closed_alert_ids = [...s.closed_alert_ids.filter((x) => x !== id), id].slice(-CLOSED_ALERT_IDS);
      for (const c of [...Object.values(s.conditions), s.technical]) if (c.open_alert_id === id) c.open_alert_id = null;
    } else if (index >= 0) {
      s.alerts[index] = t;
    } else {
      s.alerts.push(t);
    }
    return structuredClone(t.alert);
  }
}

function titleOf(kind: string): string {
  return (KIND_TITLES as Record<string, string>)[kind] ?? (TECHNICAL_TITLES as Record<string, string>)[kind] ?? kind;
}

function checkState(state: BedAlarmsState, bedId: string): BedAlarmsState {
  if (!state || typeof state !== 'object') throw new AlarmInputError('bed alarm state must be an object');
  if (state.version !== BED_ALARMS_STATE_VERSION) {
    throw new AlarmInputError(`bed alarm state version ${String(state.version)} is not supported (expected ${BED_ALARMS_STATE_VERSION})`);
  }
  if (state.bed_id !== bedId) throw new AlarmInputError(`bed alarm state is for bed "${state.bed_id}", not "${bedId}"`);
  for (const key of ['baseline', 'cusum', 'conditions', 'technical', 'alerts', 'closed_alert_ids', 'recent_window_ids'] as const) {
    if (state[key] === undefined || state[key] === null) throw new AlarmInputError(`bed alarm state is missing "${key}"`);
  }
  for (const kind of PHYSIOLOGICAL_KINDS) {
    if (!state.conditions[kind]) throw new AlarmInputError(`bed alarm state is missing condition "${kind}"`);
  }
  for (const kind of DRIFT_KINDS) {
    if (!state.cusum[kind]) throw new AlarmInputError(`bed alarm state is missing CUSUM "${kind}"`);
  }
  return state;
}
