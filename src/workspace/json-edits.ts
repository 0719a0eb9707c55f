import { findNodeAtLocation, getNodeValue, JSONPath, Node, parseTree } from 'jsonc-parser';
import { PrintOptions } from './prettier-options';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How new values are laid out: objects one key a line (like the entries next to them) or not. */
export interface Layout {
  expandObjects?: boolean;
}

const isObject = (value: JsonValue): value is { [key: string]: JsonValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Edits a JSON file's text the way prettier would print the result, without touching any other
 * line: an array or object that is extended keeps its one-line form while the line fits in
 * `printWidth` and its multi-line form otherwise; a new array or object is written on one line when
 * it fits. For `package.json` (prettier's `json-stringify` parser) every new object and array is
 * one entry a line. Comments and the file's indentation and line endings are kept.
 */
export class JsonText {
  private readonly eol: string;
  private readonly unit: string;

  constructor(public text: string, private readonly print: PrintOptions, private readonly stringify = false) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    const indented = /^([ \t]+)\S/m.exec(text)?.[1];
    this.unit = indented ? (indented.startsWith('\t') ? '\t' : indented) : print.useTabs ? '\t' : ' '.repeat(print.tabWidth);
  }

  private node(path: JSONPath): Node | undefined {
    const root = parseTree(this.text, [], { allowTrailingComma: true });
    return root && findNodeAtLocation(root, path);
  }

  /** The value at `path`, undefined when there is none. */
  get(path: JSONPath): unknown {
    const node = this.node(path);
    return node && getNodeValue(node);
  }

  /** Whether the last object in the array at `path` is written one key a line. */
  lastObjectExpanded(path: JSONPath): boolean {
    const last = this.node(path)?.children?.filter((child) => child.type === 'object').at(-1);
    return !!last && this.text.slice(last.offset, last.offset + last.length).includes('\n');
  }

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  private indentAt(pos: number): string {
    return /^[ \t]*/.exec(this.text.slice(this.lineStart(pos)))![0];
  }

  /** Whether a line fits in printWidth, tabs counted as prettier counts them. */
  private fits(line: string): boolean {
    return !line.includes('\n') &&
      [...line].reduce((width, c) => width + (c === '\t' ? this.print.tabWidth : 1), 0) <= this.print.printWidth;
  }

  /** The line holding `from`..`to` once `insert` replaces that range. */
  private lineWith(from: number, to: number, insert: string): string {
    const newline = this.text.indexOf('\n', to);
    const end = newline < 0 ? this.text.length : newline;
    return (this.text.slice(this.lineStart(from), from) + insert + this.text.slice(to, end)).replace(/\r$/, '');
  }

  private replace(from: number, to: number, insert: string): void {
    this.text = this.text.slice(0, from) + insert + this.text.slice(to);
  }

  /** `{ "a": 1 }`, `["a", "b"]`: prettier's one-line form. */
  private flat(value: JsonValue): string {
    if (Array.isArray(value)) return `[${value.map((v) => this.flat(v)).join(', ')}]`;
    if (isObject(value)) {
      const entries = Object.entries(value);
      return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${this.flat(v)}`).join(', ')} }` : '{}';
    }
    return JSON.stringify(value);
  }

  /** One entry a line at `indent`; nested values as they fit there. */
  private expanded(value: JsonValue, indent: string): string {
    const inner = indent + this.unit;
    if (Array.isArray(value)) {
      return value.length
        ? `[${value.map((v, i) => this.eol + inner + this.render(v, inner, i < value.length - 1 ? ',' : '')).join(',')}${this.eol}${indent}]`
        : '[]';
    }
    if (isObject(value)) {
      const entries = Object.entries(value);
      return entries.length
        ? `{${entries.map(([k, v], i) => {
          const name = `${inner}${JSON.stringify(k)}: `;
          return this.eol + name + this.render(v, name, i < entries.length - 1 ? ',' : '');
        }).join(',')}${this.eol}${indent}}`
        : '{}';
    }
    return JSON.stringify(value);
  }

  /**
   * The value as prettier prints it after `before` (the text before it on its line, indentation
   * included) and followed by `after` on that line: one line if that fits.
   */
  private render(value: JsonValue, before: string, after: string, layout: Layout = {}): string {
    const container = typeof value === 'object' && value !== null;
    const expand = container && (this.stringify || (isObject(value) && !!layout.expandObjects) ||
      (Array.isArray(value) && mustBreak(value.map(kindOf))) || !this.fits(before + this.flat(value) + after));
    return expand ? this.expanded(value, /^[ \t]*/.exec(before)![0]) : this.flat(value);
  }

  private hasComments(from: number, to: number): boolean {
    return /\/[/*]/.test(this.text.slice(from, to).replace(/"(?:[^"\\]|\\.)*"/g, '""'));
  }

  /**
   * A new `key` in the object at `path` (made, with its parents, one key a line like the file's
   * other objects, when missing), at `index` (default: last).
   */
  insertProperty(path: JSONPath, key: string, value: JsonValue, index?: number, layout: Layout = {}): void {
    const object = this.node(path);
    if (!object) {
      this.insertProperty(path.slice(0, -1), String(path[path.length - 1]), { [key]: value }, undefined, { expandObjects: true });
      return;
    }
    const properties = object.children ?? [];
    const at = Math.min(index ?? properties.length, properties.length);
    const open = object.offset;
    const close = object.offset + object.length - 1;
    const name = `${JSON.stringify(key)}: `;
    if (!properties.length || !this.text.slice(open, close).includes('\n')) {
      const texts = properties.map((p) => this.text.slice(p.offset, p.offset + p.length));
      texts.splice(at, 0, name + this.flat(value));
      const inline = `{ ${texts.join(', ')} }`;
      if (properties.length && this.hasComments(open, close)) {
        this.insertInline(object, at, name + this.flat(value));
      } else if (!this.stringify && this.fits(this.lineWith(open, close + 1, inline))) {
        this.replace(open, close + 1, inline);
      } else {
        const inner = this.indentAt(open) + this.unit;
        texts[at] = name + this.render(value, inner + name, at < texts.length - 1 ? ',' : '', layout);
        this.replace(open, close + 1, `{${texts.map((t) => this.eol + inner + t).join(',')}${this.eol}${this.indentAt(open)}}`);
      }
      return;
    }
    if (at < properties.length) {
      const before = properties[at].offset;
      const indent = this.indentAt(before);
      this.replace(before, before, `${name}${this.render(value, indent + name, ',', layout)},${this.eol}${indent}`);
      return;
    }
    const last = properties[properties.length - 1];
    const indent = this.indentAt(last.offset);
    this.insertAfterLast(last, close, name + this.render(value, indent + name, '', layout));
  }

  /** Appends values to the array at `path` (made, one line if it fits, when missing). */
  append(path: JSONPath, values: JsonValue[], layout: Layout = {}): void {
    const array = this.node(path);
    if (!array) {
      this.insertProperty(path.slice(0, -1), String(path[path.length - 1]), values);
      return;
    }
    const elements = array.children ?? [];
    const open = array.offset;
    const close = array.offset + array.length - 1;
    if (!elements.length || !this.text.slice(open, close).includes('\n')) {
      const kinds = [...elements.map((e) => ({ type: e.type, size: e.children?.length ?? 0 })), ...values.map(kindOf)];
      const texts = [...elements.map((e) => this.text.slice(e.offset, e.offset + e.length)), ...values.map((v) => this.flat(v))];
      const inline = `[${texts.join(', ')}]`;
      if (elements.length && this.hasComments(open, close)) {
        this.insertInline(array, elements.length, values.map((v) => this.flat(v)).join(', '));
        return;
      }
      if (!this.stringify && !mustBreak(kinds) && this.fits(this.lineWith(open, close + 1, inline))) {
        this.replace(open, close + 1, inline);
        return;
      }
      const indent = this.indentAt(open);
      const inner = indent + this.unit;
      const items = [...texts.slice(0, elements.length), ...values.map((v, i) =>
        this.render(v, inner, i < values.length - 1 ? ',' : '', layout))];
      this.replace(open, close + 1, `[${items.map((t) => this.eol + inner + t).join(',')}${this.eol}${indent}]`);
      return;
    }
    const last = elements[elements.length - 1];
    const indent = this.indentAt(last.offset);
    this.insertAfterLast(last, close, values.map((v, i) =>
      this.render(v, indent, i < values.length - 1 ? ',' : '', layout)).join(`,${this.eol}${indent}`));
  }

  /** `a, NEW, b` in a one-line container that holds comments, at child index `at`. */
  private insertInline(container: Node, at: number, text: string): void {
    const children = container.children ?? [];
    if (at < children.length) {
      this.replace(children[at].offset, children[at].offset, `${text}, `);
    } else {
      const last = children[children.length - 1];
      this.replace(last.offset + last.length, last.offset + last.length, `, ${text}`);
    }
  }

  /**
   * After the last entry of a multi-line container: a comma after it, the new entries on lines of
   * their own at its indentation, after any comment that ends its line.
   */
  private insertAfterLast(last: Node, close: number, text: string): void {
    const end = last.offset + last.length;
    const newline = this.text.indexOf('\n', end);
    if (newline < 0 || newline > close) {
      this.replace(end, end, `, ${text}`);
      return;
    }
    const lineEnd = this.text[newline - 1] === '\r' ? newline - 1 : newline;
    const trailingComma = /^\s*,/.test(this.text.slice(end, lineEnd));
    this.replace(lineEnd, lineEnd, `${this.eol}${this.indentAt(last.offset)}${text}${trailingComma ? ',' : ''}`);
    if (!trailingComma) this.replace(end, end, ',');
  }
}

interface Kind {
  type: string;
  size: number;
}

function kindOf(value: JsonValue): Kind {
  if (Array.isArray(value)) return { type: 'array', size: value.length };
  if (isObject(value)) return { type: 'object', size: Object.keys(value).length };
  return { type: typeof value, size: 0 };
}

/** prettier breaks an array of two or more objects (or arrays) of the same kind with more than one entry each. */
function mustBreak(kinds: Kind[]): boolean {
  return kinds.length > 1 && kinds.every((k) => (k.type === 'object' || k.type === 'array') && k.type === kinds[0].type && k.size > 1);
}
