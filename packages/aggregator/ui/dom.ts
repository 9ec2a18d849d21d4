// DOM building without HTML parsing: every string becomes a text node or an attribute value set through the DOM API,
// so user-supplied names (models, versions, features, categories) can never become markup.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  readonly class?: string;
  /** Attributes set with setAttribute (values are data, never parsed). */
  readonly attrs?: Readonly<Record<string, string>>;
  readonly title?: string;
  readonly onClick?: (event: MouseEvent) => void;
  readonly onChange?: (event: Event) => void;
}

/** Creates `<tag>` with its props and children (strings and numbers as text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class !== undefined) node.className = props.class;
  if (props.title !== undefined) node.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  const target: HTMLElement = node;
  if (props.onClick) target.addEventListener('click', props.onClick);
  if (props.onChange) target.addEventListener('change', props.onChange);
  append(node, children);
  return node;
}

/** Appends children (strings and numbers as text nodes; null, undefined and false are skipped). */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
