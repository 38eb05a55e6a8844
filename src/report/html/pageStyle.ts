/** The page's stylesheet: readable text, verdict colours, the explorer's panes, and the highlights the script sets. */
export const PAGE_CSS = `
:root { --violated: #b3261e; --holds: #1e7b34; --undecided: #8a6d00; --hl: #ff9800; --line: #ddd; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header, main > section, nav { max-width: 1600px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 16px; }
h1 { font-size: 1.6em; margin: 0.3em 0; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 1.6em; }
code, pre, .conn, .lines { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.9em; }
.partial-banner { background: #fff4d6; border: 1px solid #e8c670; padding: 8px 12px; border-radius: 6px; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
.verdict { font-weight: 600; }
.verdict.violated { color: var(--violated); }
.verdict.holds { color: var(--holds); }
.verdict.undecided, .verdict.not-run, .verdict.not-applicable { color: var(--undecided); }
.verdict.failing { color: var(--violated); }
.verdict.passing { color: var(--holds); }
.statement { font-size: 1.05em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.explorer { border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: 10px; margin: 10px 0 24px; }
.explorer:focus { outline: 2px solid #7aa7ff; }
.controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 8px; }
.controls input[type=range] { flex: 1; min-width: 160px; }
.event { background: #f6f8fa; border-radius: 6px; padding: 6px 10px; margin-bottom: 8px; min-height: 3.5em; }
.event .when { font-weight: 600; }
.event .lines { margin: 2px 0; padding-left: 18px; }
.event .violation { color: var(--violated); font-weight: 600; margin: 4px 0 0; }
.panes { display: grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap: 10px; }
@media (max-width: 1100px) { .panes { grid-template-columns: 1fr; } }
.sequence { overflow: auto; max-height: 75vh; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.side { overflow: auto; max-height: 75vh; }
table.instances { width: 100%; font-size: 0.9em; }
table.instances tr.changed { background: #fff8e1; }
table.instances tr.reacting th { box-shadow: inset 4px 0 0 var(--hl); }
table.instances td.state { font-family: ui-monospace, monospace; white-space: nowrap; }
.conn { display: inline-block; border-radius: 4px; padding: 0 5px; margin: 1px 2px; border: 1px solid transparent; white-space: nowrap; }
.conn small { opacity: 0.75; }
.conn.active { background: #e3f2fd; border-color: #90caf9; }
.conn.parked { background: #ffebee; border-color: #ef9a9a; }
.conn.idle { background: #f1f1f1; border-color: #d0d0d0; color: #555; }
.conn.open { background: #f3e5f5; border-color: #ce93d8; }
.legend .conn { font-size: 0.8em; }
.machine-title { font-size: 0.9em; margin: 8px 0 4px; }
.machine { overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.diagram { overflow: auto; }
.render-error { color: var(--violated); }
svg .hl { stroke: var(--hl) !important; stroke-width: 3px !important; }
svg text.hl { fill: #d84315 !important; font-weight: 700; stroke: none !important; }
svg rect.note.hl { fill: #ffe0b2 !important; }
svg g.hl-state rect, svg g.hl-state path { stroke: var(--hl) !important; stroke-width: 3px !important; }
svg .hl-line { background: #ffe0b2; color: #bf360c; font-weight: 700; }
table.instances th small { font-weight: normal; color: #777; }
.matrix td.healthy { background: #eef7ee; }
.matrix td.unhealthy { background: #fdecea; }
footer { max-width: 1600px; margin: 24px auto; padding: 0 24px; color: #666; font-size: 0.85em; }
`;
