import '../styles.css';
import { AccessSettings } from './access-settings';
import { ApiClient, ApiError } from './api-client';
import type { AppContext, View } from './app-context';
import type { Alert } from './contracts';
import { alertKindLabel, alertToneLabel } from './format';
import { LiveEvents, LiveStatus } from './live-events';
import { parseRoute } from './router';
import { WardState } from './state/ward-state';
import { AlarmView } from './views/alarm-view';
import { BedView } from './views/bed-view';
import { WardView } from './views/ward-view';

const STATUS_TEXT: Record<LiveStatus, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el as T;
}

function start(): void {
  const main = byId<HTMLElement>('main');
  const banner = byId<HTMLElement>('banner');
  const announcer = byId<HTMLElement>('announcer');
  const liveStatus = byId<HTMLElement>('live-status');
  const alarmCount = byId<HTMLElement>('active-alarm-count');
  const access = new AccessSettings(window.sessionStorage);
  const api = new ApiClient(access);
  const state = new WardState();

  const ctx: AppContext = {
    api,
    state,
    access,
    announce(message) {
      announcer.textContent = '';
      // A changed text node is what screen readers pick up.
      window.setTimeout(() => (announcer.textContent = message), 50);
    },
    showProblem(message) {
      banner.hidden = message === null;
      banner.textContent = message ?? '';
    },
  };

  const resync = async () => {
    try {
      const { beds } = await api.beds();
      state.applySnapshot(beds);
      ctx.showProblem(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) ctx.showProblem('The server requires a token: open “Access” and enter the API token.');
      else ctx.showProblem(`Cannot load the beds: ${error instanceof ApiError ? `${error.status} ${error.message}` : String(error)}`);
    }
  };

  const live = new LiveEvents(() => api.eventsUrl(), {
    measurement: (m) => state.applyMeasurement(m),
    alert: (a) => {
      const known = state.alerts.get(a.alert_id);
      state.applyAlert(a);
      if (!known && a.state !== 'cleared' && (a.priority === 'high' || a.state === 'escalated')) ctx.announce(describeAlarm(a));
    },
    status: (status) => {
      liveStatus.textContent = STATUS_TEXT[status];
      liveStatus.dataset.status = status;
    },
    resync: () => void resync(),
  });

  state.subscribe((change) => {
    if (change.kind !== 'alert' && change.kind !== 'beds') return;
    const waiting = state.alerts.active().filter((a) => a.state !== 'acknowledged').length;
    alarmCount.textContent = waiting ? String(waiting) : '';
  });

  let view: View | null = null;
  const route = () => {
    view?.unmount();
    // A problem reported by the previous view does not belong to the next one.
    ctx.showProblem(null);
    main.replaceChildren();
    const r = parseRoute(location.hash);
    view = r.name === 'bed' ? new BedView(ctx, r.bedId) : r.name === 'alarms' ? new AlarmView(ctx) : new WardView(ctx);
    view.mount(main);
    for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-nav]')) {
      if (link.dataset.nav === r.name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${r.name === 'bed' ? `Bed ${r.bedId}` : r.name === 'alarms' ? 'Alarms' : 'Ward'} — AICRN central station`;
  };
  window.addEventListener('hashchange', () => {
    route();
    // Move focus to the new content so keyboard users start at the top of the view (the sticky header must not cover it).
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  });

  const form = byId<HTMLFormElement>('access-form');
  (form.elements.namedItem('operator') as HTMLInputElement).value = access.operator();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    access.save(String(data.get('operator') ?? ''), String(data.get('token') ?? ''));
    (form.elements.namedItem('token') as HTMLInputElement).value = '';
    form.closest('details')?.removeAttribute('open');
    live.restart();
    void resync();
  });

  const clock = byId<HTMLTimeElement>('clock');
  const tick = () => (clock.textContent = new Date().toLocaleTimeString([], { hour12: false }));
  tick();
  window.setInterval(tick, 1000);

  route();
  live.start();
  void resync();
}

function describeAlarm(a: Alert): string {
  return `Alarm, bed ${a.bed_id}: ${alertKindLabel(a.kind)}, ${alertToneLabel(a)}. ${a.message}`;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
