type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

/** Creates an element; attributes with null/undefined/false are left out. Text is always set as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else if (name === 'text') el.textContent = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** Sets text only when it changed, so unchanged tiles cause no layout work. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Listeners a view adds to long-lived targets, removed together when the view closes. */
export class Disposer {
  private readonly disposers: Array<() => void> = [];

  listen<K extends keyof HTMLElementEventMap>(target: EventTarget, type: K | string, handler: (event: HTMLElementEventMap[K]) => void): void {
    target.addEventListener(type, handler as EventListener);
    this.disposers.push(() => target.removeEventListener(type, handler as EventListener));
  }

  add(dispose: () => void): void {
    this.disposers.push(dispose);
  }

  dispose(): void {
    while (this.disposers.length) this.disposers.pop()!();
  }
}
