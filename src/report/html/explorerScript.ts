/**
 * The page's script, as text (it runs in the browser, not in Node): renders
 * every diagram with the Mermaid bundled into the page, then wires each
 * step-through explorer. Plain ES2020, no template literals (this file holds
 * it in one), no network. `document.body.dataset.ready` says when the page is
 * drawn (the browser test waits for it).
 */
export const EXPLORER_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('connmodel-data').textContent);
  var counter = 0;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', maxTextSize: 5000000, maxEdges: 100000,
    sequence: { useMaxWidth: false }, state: { useMaxWidth: false } });

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  /** Renders Mermaid text into a container; on failure shows the text and what went wrong. */
  function draw(container, text) {
    counter += 1;
    return mermaid.render('cm-diagram-' + counter, text).then(function (r) {
      container.innerHTML = r.svg;
      return container.querySelector('svg');
    }, function (e) {
      container.textContent = '';
      container.appendChild(el('p', { className: 'render-error', text: 'This diagram could not be drawn: ' + (e && e.message ? e.message : e) }));
      container.appendChild(el('pre', { text: text }));
      console.error('connmodel report: a diagram could not be drawn', e);
      return null;
    });
  }

  var machineText = {};
  data.machines.forEach(function (m) { machineText[m.kind] = m.mmd; });

  function setupExplorer(root, property, sequenceSvg) {
    var run = property.run;
    var stepped = run.stepped;
    var steps = stepped.steps;
    var n = steps.length;
    var views = [stepped.initial];
    steps.forEach(function (s) { views.push(Object.assign({}, views[views.length - 1], s.changed)); });
    var labelOf = {};
    stepped.instances.forEach(function (i) { labelOf[i.id] = i.label; });
    var kindOf = {};
    stepped.instances.forEach(function (i) { kindOf[i.id] = i.kind; });

    var messages = sequenceSvg ? Array.prototype.slice.call(sequenceSvg.querySelectorAll('text.messageText')) : [];
    var arrows = sequenceSvg ? Array.prototype.slice.call(sequenceSvg.querySelectorAll('.messageLine0, .messageLine1')) : [];
    var notes = sequenceSvg ? Array.prototype.slice.call(sequenceSvg.querySelectorAll('rect.note')) : [];
    // Only light up what certainly corresponds: Mermaid draws arrows and notes in the order of the source.
    var arrowsMatch = messages.length === run.sequence.messages.length && arrows.length === messages.length;
    var notesMatch = notes.length === run.sequence.notes.length;

    var position = root.querySelector('.step-no');
    var slider = root.querySelector('input[type=range]');
    var eventBox = root.querySelector('.event');
    var table = root.querySelector('table.instances tbody');
    var machineBox = root.querySelector('.machine');
    var machineTitle = root.querySelector('.machine-title');
    var sequenceBox = root.querySelector('.sequence');
    var machineCache = {};
    var shownKind = null;
    var shownToken = 0;
    var current = 1;

    function lightSequence(stepNo) {
      root.querySelectorAll('.hl').forEach(function (e) { e.classList.remove('hl'); });
      var first = null;
      if (arrowsMatch) run.sequence.messages.forEach(function (list, i) {
        if (list.indexOf(stepNo) < 0) return;
        messages[i].classList.add('hl');
        arrows[i].classList.add('hl');
        first = first || messages[i];
      });
      if (notesMatch) run.sequence.notes.forEach(function (list, i) {
        if (list.indexOf(stepNo) < 0) return;
        notes[i].classList.add('hl');
        first = first || notes[i];
      });
      if (first) {
        // Scroll the diagram's own box, not the page.
        var box = sequenceBox.getBoundingClientRect();
        var at = first.getBoundingClientRect();
        sequenceBox.scrollTop += at.top - box.top - box.height / 3;
        sequenceBox.scrollLeft += at.left - box.left - box.width / 3;
      }
    }

    function lightMachine(reaction) {
      var kind = reaction ? kindOf[reaction.at] : null;
      machineTitle.textContent = reaction
        ? labelOf[reaction.at] + ' (' + kind + ') took ' + (reaction.line || reaction.event + ' (no transition)') + (reaction.from !== reaction.to ? '; ' + reaction.from + ' \u2192 ' + reaction.to : '; stays ' + reaction.to)
        : 'No machine reacted at this step (the kernel answered: the connection was already closed there).';
      machineTitle.dataset.line = reaction && reaction.line ? reaction.line : '';
      var token = ++shownToken;
      if (!kind || !machineText[kind]) { machineBox.textContent = ''; shownKind = null; return Promise.resolve(); }
      // One drawing per machine kind, shared by every step (a promise, so that two quick steps do not draw it twice).
      machineCache[kind] = machineCache[kind] || draw(el('div'), machineText[kind]);
      return machineCache[kind].then(function (svg) {
        if (token !== shownToken) return; // a later step has been shown meanwhile
        if (shownKind !== kind) {
          machineBox.textContent = '';
          if (svg) machineBox.appendChild(svg);
          shownKind = kind;
        }
        if (!svg) return;
        svg.querySelectorAll('.hl-state').forEach(function (e) { e.classList.remove('hl-state'); });
        svg.querySelectorAll('span.hl-line').forEach(function (s) { s.replaceWith(document.createTextNode(s.textContent)); });
        var nodes = Array.prototype.slice.call(svg.querySelectorAll('g.node'));
        var nodeOf = function (name) {
          return nodes.filter(function (g) { return new RegExp('-state-' + name + '-[0-9]+$').test(g.id); })[0];
        };
        var state = nodeOf(reaction.to);
        if (state) state.classList.add('hl-state');
        if (!reaction.line) return;
        // Mermaid writes a state's lines (and an arrow's) as text separated by <br>: wrap the one that fired.
        var places = reaction.box ? [nodeOf(reaction.box)] : Array.prototype.slice.call(svg.querySelectorAll('.edgeLabel'));
        places.forEach(function (place) {
          if (!place) return;
          place.querySelectorAll('p').forEach(function (p) {
            p.normalize();
            Array.prototype.slice.call(p.childNodes).forEach(function (node) {
              if (node.nodeType === 3 && node.data.trim() === reaction.line) node.replaceWith(el('span', { className: 'hl-line', text: node.data }));
            });
          });
        });
      });
    }

    function renderInstances(k) {
      var view = views[k];
      var s = steps[k - 1];
      table.textContent = '';
      stepped.instances.forEach(function (info) {
        var v = view[info.id];
        var row = el('tr', { 'data-instance': info.id, title: info.id + ' (' + info.kind + ')' });
        if (s && s.changed[info.id]) row.classList.add('changed');
        if (s && s.reaction && s.reaction.at === info.id) row.classList.add('reacting');
        var conns = el('td', { className: 'conns' });
        v.connections.forEach(function (c) {
          conns.appendChild(el('span', { className: 'conn ' + c.status, 'data-conn': c.conn, 'data-status': c.status, 'data-side': c.side, title: c.side + ', ' + c.status + (c.detail ? ': ' + c.detail : '') },
            [c.conn, c.detail ? el('small', { text: ' ' + c.detail }) : null]));
        });
        if (v.connections.length === 0) conns.appendChild(el('span', { className: 'none', text: '\u2014' }));
        row.appendChild(el('th', {}, [info.label, info.label !== info.id ? el('small', { text: ' ' + info.id }) : null]));
        row.appendChild(el('td', { className: 'state', text: v.state }));
        row.appendChild(conns);
        table.appendChild(row);
      });
    }

    function show(k) {
      current = Math.max(1, Math.min(n, k));
      var s = steps[current - 1];
      root.dataset.step = String(s.step);
      position.textContent = String(s.step);
      slider.value = String(current);
      eventBox.textContent = '';
      eventBox.appendChild(el('div', { className: 'when', text: 'step ' + s.step + ' at t=' + s.t + ' ms' + (s.step === run.violationStep ? (run.label === 'witness' ? ': the witness is reached here' : ': the property is violated here') : '') }));
      var list = el('ul', { className: 'lines' });
      s.lines.forEach(function (line) { list.appendChild(el('li', { text: line })); });
      eventBox.appendChild(list);
      if (s.step === run.violationStep) eventBox.appendChild(el('p', { className: 'violation', text: run.message }));
      renderInstances(current);
      lightSequence(s.step);
      var token = shownToken + 1;
      return lightMachine(s.reaction).then(function () { if (token === shownToken) root.dataset.shown = String(s.step); });
    }

    slider.max = String(n);
    root.querySelector('.of').textContent = String(n);
    root.querySelectorAll('button[data-go]').forEach(function (b) {
      b.addEventListener('click', function () {
        var go = b.getAttribute('data-go');
        show(go === 'first' ? 1 : go === 'back' ? current - 1 : go === 'forward' ? current + 1 : n);
      });
    });
    slider.addEventListener('input', function () { show(Number(slider.value)); });
    root.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowRight') { show(current + 1); e.preventDefault(); }
      if (e.key === 'ArrowLeft') { show(current - 1); e.preventDefault(); }
    });
    return show(1);
  }

  var work = [];
  data.properties.forEach(function (p) {
    if (!p.run) return;
    var root = document.querySelector('.explorer[data-property="' + p.name + '"]');
    var box = root.querySelector('.sequence');
    work.push(draw(box, p.run.sequence.mmd).then(function (svg) { return setupExplorer(root, p, svg); }));
  });
  document.querySelectorAll('.mermaid-source').forEach(function (pre) {
    var target = el('div', { className: 'diagram' });
    pre.parentNode.insertBefore(target, pre);
    pre.hidden = true;
    work.push(draw(target, pre.textContent));
  });
  Promise.all(work).then(function () { document.body.dataset.ready = 'true'; }, function (e) {
    console.error('connmodel report: drawing failed', e);
    document.body.dataset.ready = 'failed';
  });
})();
`;
