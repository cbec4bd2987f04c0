// The one small DOM builder of the site's scripts. Strings become text nodes, never
// HTML: learner text, imported files and authored content are all shown as text.

/**
 * h("button", {type: "button", onclick: fn}, "Texte", child…) -> the element.
 * Attributes set to false, null or undefined are left out, true gives an empty attribute;
 * "on…" keys with a function add an event listener.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** The same for SVG elements (the simulator's gauge and timeline). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

/** "1 exercice", "3 exercices". */
export const plural = (n, one, many) => `${n} ${n > 1 ? many : one}`;
