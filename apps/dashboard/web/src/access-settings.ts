const TOKEN_KEY = 'aicrn.token';
const OPERATOR_KEY = 'aicrn.operator';

/**
 * Who is at the station and the API token, kept in sessionStorage: a token must not outlive the
 * browser session, and the operator name is what acknowledgements are recorded under.
 */
export class AccessSettings {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {}

  token(): string | null {
    return this.storage.getItem(TOKEN_KEY) || null;
  }

  operator(): string {
    return this.storage.getItem(OPERATOR_KEY) || 'central-station';
  }

  save(operator: string, token: string): void {
    const name = operator.trim();
    if (name) this.storage.setItem(OPERATOR_KEY, name);
    else this.storage.removeItem(OPERATOR_KEY);
    const t = token.trim();
    if (t) this.storage.setItem(TOKEN_KEY, t);
    else this.storage.removeItem(TOKEN_KEY);
  }
}
