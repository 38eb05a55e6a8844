/**
 * A sequence diagram as plain data, independent of the notation: built from a
 * trace by `sequenceDiagram`, written out by `toPlantUml` and `toMermaid`.
 * Both notations get the same participants, dividers, labels and notes, so
 * the two files of one diagram always say the same thing. Every item keeps
 * the kernel steps it draws (`steps`), so a report can light up the arrows of
 * a step; the notations do not print them.
 */
export interface Participant {
  /** Identifier used in the diagram source (`ConnCtrl_2`). */
  id: string;
  /** Name shown (`ConnCtrl 2`). */
  label: string;
}

/** A group of consecutive participants drawn in one frame (an instance's tiers). */
export interface Box {
  label: string;
  members: string[];
}

export type SequenceItem =
  /** `== 1st request ==`: a client starts a request (`request`: which, for collapsing repeats). */
  | { kind: 'divider'; text: string; steps: number[]; request?: { n: number; client: string | null; req: string | null } }
  /**
   * A request or response between two drawn participants. `fresh` marks a
   * request whose hop had to open a new connection (drawn bold or highlighted).
   */
  | { kind: 'message'; from: string; to: string; dir: 'request' | 'response'; text: string; fresh: boolean; steps: number[] }
  /** Something that happened at one participant (or, for a violation, across several). */
  | { kind: 'note'; over: string[]; lines: string[]; alert: boolean; steps: number[] }
  /** Requests left out because they repeat the one drawn before them (see collapse.ts): one line saying so. */
  | { kind: 'skip'; text: string; steps: number[] };

export interface SequenceDiagram {
  title: string | null;
  participants: Participant[];
  boxes: Box[];
  items: SequenceItem[];
}
