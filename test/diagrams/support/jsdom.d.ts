// The little of jsdom the Mermaid parser needs (jsdom ships no types; @types/jsdom would be a dependency for one line).
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string);
    readonly window: Window & typeof globalThis & { Option: unknown };
  }
}
