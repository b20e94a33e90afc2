import type { AccessSettings } from './access-settings';
import type { ApiClient } from './api-client';
import type { WardState } from './state/ward-state';

/** What every view receives: the API, the live state and page-level feedback. */
export interface AppContext {
  api: ApiClient;
  state: WardState;
  access: AccessSettings;
  /** Read out by screen readers (assertive). */
  announce(message: string): void;
  /** A page-level problem (e.g. cannot reach the server); null hides it. */
  showProblem(message: string | null): void;
}

/** A screen of the dashboard; unmount must remove every listener and timer it added. */
export interface View {
  mount(main: HTMLElement): void;
  unmount(): void;
}
