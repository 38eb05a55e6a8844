import type { PropertyView, ReportData } from './data.js';
import { EXPLORER_SCRIPT } from './explorerScript.js';
import { PAGE_CSS } from './pageStyle.js';

/** Text for HTML: the five characters that could start markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside a <script> element: nothing in it may close the element or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script's text inside a <script> element: `</script` would end it early. */
export function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

const e = escapeHtml;
const verdictClass = (v: string, health: boolean | null) => `${v.replace(/\s+/g, '-')}${health === false ? ' failing' : health === true ? ' passing' : ''}`;
const verdictLabel = (label: string, partial: boolean) => `${label}${partial ? ' (partial: interrupted)' : ''}`;

function summary(d: ReportData): string {
  const rows = d.summary.map(
    (r) =>
      `<tr data-property="${e(r.property)}"><td><a href="#${e(r.anchor)}">${e(r.property)}</a></td><td class="verdict ${verdictClass(r.verdict, r.partial ? null : r.health)}">${e(verdictLabel(r.label, r.partial))}</td><td>${e(r.runs)}</td><td>${e(r.bounds)}</td><td>${e(r.found)}</td></tr>`,
  );
  return `<section id="summary"><h2>Summary</h2>
<table class="summary"><thead><tr><th>property</th><th>verdict</th><th>runs</th><th>bounds</th><th>counterexample (or witness)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

const LEGEND = `<p class="legend">Connections: <span class="conn active">active</span> carries a request (at a limiter: holds a slot) · <span class="conn parked">parked</span> accepted, never read · <span class="conn idle">idle</span> open, unused · <span class="conn open">open</span> held by a tier that does not follow requests (a pass-through flow, a server).</p>`;

function explorer(p: PropertyView): string {
  return `<div class="explorer" data-property="${e(p.name)}" tabindex="0" aria-label="step through the ${e(p.run!.label)} of ${e(p.name)}">
<div class="controls"><button type="button" data-go="first">◀◀ first</button><button type="button" data-go="back">◀ back</button>
<span class="position">step <b class="step-no">1</b> of <span class="of">?</span></span>
<button type="button" data-go="forward">forward ▶</button><button type="button" data-go="last">${p.run!.label === 'witness' ? 'witness' : 'violation'} ▶▶</button>
<input type="range" min="1" value="1" aria-label="step"></div>
<div class="event" aria-live="polite"></div>
<div class="panes"><div class="sequence" title="the step's arrows are highlighted"></div>
<div class="side"><table class="instances"><thead><tr><th>instance</th><th>state</th><th>connections</th></tr></thead><tbody></tbody></table>
${LEGEND}<p class="machine-title"></p><div class="machine"></div></div></div></div>`;
}

function property(p: PropertyView): string {
  const facts = [
    `<dt>kind</dt><dd>${e(p.kind)}</dd>`,
    `<dt>bounds</dt><dd>${e(p.bounds)}</dd>`,
    ...(p.coverage.length > 0 ? [`<dt>coverage</dt><dd>${p.coverage.map(e).join('<br>')}</dd>`] : []),
  ];
  const run = p.run;
  const body = run
    ? `<h3>${run.label === 'witness' ? 'Witness' : 'Counterexample'}${run.facet ? ` at ${e(run.facet)}` : ''}</h3>
<p>${e(run.sentence)}: ${e(run.message)}</p>
<p>${run.trace ? `trace: <a href="${e(run.trace)}">${e(run.trace)}</a> · ` : ''}replay: <code>${e(run.replay)}</code>${run.others.length > 0 ? `<br>other ${run.label === 'witness' ? 'witnesses' : 'counterexamples'}: ${run.others.map((o) => `<a href="${e(o.trace)}">${e(o.facet ?? o.trace)}</a>`).join(', ')}` : ''}</p>
<p>Step through it: every tier's machine state and connections after each step, the step's arrows highlighted in the sequence diagram, and the transition that fired in the state diagram of the machine that reacted. Keys ← and → step when the explorer has focus.</p>
${explorer(p)}`
    : '';
  return `<section class="property" id="${e(p.anchor)}" data-property="${e(p.name)}" data-verdict="${e(p.verdict)}">
<h2>${e(p.name)} <span class="verdict ${verdictClass(p.verdict, p.partial ? null : p.health)}">${e(verdictLabel(p.label, p.partial))}</span></h2>
<p class="statement">${e(p.statement)}</p>
<dl class="facts">${facts.join('')}</dl>
${body}</section>`;
}

function machines(d: ReportData): string {
  if (d.machines.length === 0) return '';
  return `<section id="machines"><h2>Tier machines</h2>${d.machines
    .map((m) => `<h3>${e(m.kind)}</h3><p>${e(m.caption.replace(/`/g, ''))}</p><pre class="mermaid-source">${e(m.mmd)}</pre>`)
    .join('\n')}</section>`;
}

function matrix(d: ReportData): string {
  const m = d.matrix;
  if (!m) return '';
  const head = `<tr><th>topology</th>${m.properties.map((p) => `<th>${e(p)}</th>`).join('')}</tr>`;
  const rows = m.rows.map((r) => {
    const cells = r.cells.map((c) => {
      if (!c) return '<td></td>';
      const mark = c.verdict === 'undecided' ? '?' : c.healthy === null ? '' : c.healthy ? '✓ ' : '✗ ';
      const word = c.trace ? `<a href="${e(c.trace)}">${e(c.verdict)}</a>` : e(c.verdict);
      const here = c.anchor ? ` <a href="#${e(c.anchor)}" title="in this report">↓</a>` : '';
      return `<td class="${c.healthy === null ? '' : c.healthy ? 'healthy' : 'unhealthy'}">${mark}${word}${here}</td>`;
    });
    return `<tr><th title="${e(r.description)}">${e(r.topology)}</th>${cells.join('')}</tr>`;
  });
  return `<section id="matrix"><h2>Verdict matrix</h2>${m.command ? `<p>From <code>${e(m.command)}</code>. ✓: the verdict of a healthy pipeline; ✗: the opposite; each verdict with a trace links to it.</p>` : ''}
<table class="matrix"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table></section>`;
}

function simulation(d: ReportData): string {
  const s = d.simulation;
  if (!s) return '';
  return `<section id="simulation"><h2>Simulation</h2><p>${e(s.about)}</p>${s.charts
    .map((c) => `<h3>${e(c.title)}</h3><p>series, in order: ${c.series.map(e).join(', ')}</p><pre class="mermaid-source">${e(c.mmd)}</pre>`)
    .join('\n')}</section>`;
}

/**
 * The report as one HTML file that needs nothing else: the data as JSON, the
 * Mermaid bundle and the page's script inline, no external resource. Text
 * parts are written out here (readable without script); the diagrams and
 * the explorers are drawn by the script when the page opens.
 */
export function reportPage(d: ReportData, mermaidBundle: string): string {
  const nav = [
    '<li><a href="#summary">Summary</a></li>',
    ...d.properties.map((p) => `<li><a href="#${e(p.anchor)}">${e(p.name)}</a></li>`),
    ...(d.machines.length > 0 ? ['<li><a href="#machines">Tier machines</a></li>'] : []),
    ...(d.matrix ? ['<li><a href="#matrix">Verdict matrix</a></li>'] : []),
    ...(d.simulation ? ['<li><a href="#simulation">Simulation</a></li>'] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="connmodel">
<title>${e(d.title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>${e(d.title)}</h1>
<p>${e(d.topology.description)}</p>
<p>${e(d.how)}. Rerun: <code>${e(d.rerun)}</code></p>
${d.partial ? '<p class="partial-banner">Interrupted (Ctrl-C): partial results. Properties not checked to their end are marked; a verdict marked partial is not one unless it is a violation.</p>' : ''}
</header>
<nav><ul>${nav.join('')}</ul></nav>
<main>
${summary(d)}
${d.properties.map(property).join('\n')}
${machines(d)}
${matrix(d)}
${simulation(d)}
</main>
<footer>Written by connmodel. Opens offline: everything it shows is in this file. Diagrams drawn with Mermaid.</footer>
<script type="application/json" id="connmodel-data">${scriptJson(d)}</script>
<script>${scriptText(mermaidBundle)}</script>
<script>${scriptText(EXPLORER_SCRIPT)}</script>
</body>
</html>
`;
}
