/**
 * A small element builder. Text always goes in as text nodes, never as HTML,
 * so auction titles, ids and server messages cannot inject markup.
 */

/** Something that can be placed inside an element. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes set with setAttribute; false and null leave the attribute out. */
export type Attributes = Record<string, string | number | boolean | null | undefined>;

/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}
