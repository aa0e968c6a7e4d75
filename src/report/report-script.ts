/**
 * The report's page script, inlined as one `<script>` whose SHA-256 the Content-Security-Policy
 * names, so no other script (say, one smuggled in through findings text) could run. Plain ES2019
 * and DOM APIs only; every value from the findings reaches the page through `textContent`, never
 * `innerHTML`. It reads the accounts blob laid out by `accounts-table-data.ts`.
 *
 * Written with String.raw so backslashes reach the browser as typed; it must contain no
 * backtick, no dollar-brace and no closing script tag.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var doc = document;
  doc.documentElement.classList.add('js');
  var numberFormat = new Intl.NumberFormat('en-US');
  function fmt(n) { return numberFormat.format(n); }
  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Cluster list: a click anywhere on a row opens that cluster; "flagged only" hides the rest.
  var clusterTable = doc.getElementById('cluster-table');
  if (clusterTable) {
    clusterTable.addEventListener('click', function (event) {
      var row = event.target.closest('tr[data-href]');
      if (row && !event.target.closest('a')) location.hash = row.getAttribute('data-href');
    });
  }
  var clusterFilter = doc.getElementById('clusters-flagged-only');
  if (clusterFilter && clusterTable) {
    clusterFilter.addEventListener('change', function () { clusterTable.classList.toggle('only-flagged', clusterFilter.checked); });
  }
  function markSelectedCluster() {
    if (!clusterTable) return;
    var selected = clusterTable.querySelectorAll('tr.selected');
    for (var i = 0; i < selected.length; i++) selected[i].classList.remove('selected');
    var id = location.hash.slice(1);
    if (!/^c-\d+$/.test(id)) return;
    var row = clusterTable.querySelector('tr[data-href="#' + id + '"]');
    if (!row) return;
    row.classList.add('selected');
    // Bring the row into the list's own scroll box without moving the page away from the detail.
    var list = clusterTable.parentNode;
    if (row.offsetTop < list.scrollTop || row.offsetTop > list.scrollTop + list.clientHeight - row.offsetHeight) {
      list.scrollTop = row.offsetTop - list.clientHeight / 2;
    }
  }
  window.addEventListener('hashchange', markSelectedCluster);
  markSelectedCluster();

  // Timeline read-out: the bucket under the pointer, its start time and its count.
  var tooltip = el('div', 'tooltip');
  function hideTooltip(svg) {
    if (tooltip.parentNode) tooltip.parentNode.removeChild(tooltip);
    var cursor = svg && svg.querySelector('.chart-cursor');
    if (cursor) cursor.setAttribute('visibility', 'hidden');
  }
  doc.addEventListener('mousemove', function (event) {
    var svg = event.target.closest ? event.target.closest('svg.timeline-chart') : null;
    var active = doc.querySelector('svg.timeline-chart.hovering');
    if (active && active !== svg) { active.classList.remove('hovering'); hideTooltip(active); }
    if (!svg) return;
    svg.classList.add('hovering');
    if (!svg.dgValues) svg.dgValues = svg.getAttribute('data-values').split(',').map(Number);
    var values = svg.dgValues;
    var box = svg.getBoundingClientRect();
    var scale = svg.viewBox.baseVal.width / box.width;
    var left = Number(svg.getAttribute('data-left'));
    var plotWidth = Number(svg.getAttribute('data-plot-width'));
    var x = (event.clientX - box.left) * scale;
    var index = Math.floor(((x - left) / plotWidth) * values.length);
    if (index < 0 || index >= values.length) { hideTooltip(svg); return; }
    var center = left + ((index + 0.5) * plotWidth) / values.length;
    var cursor = svg.querySelector('.chart-cursor');
    cursor.setAttribute('x1', center); cursor.setAttribute('x2', center); cursor.setAttribute('visibility', 'visible');
    var start = new Date(Number(svg.getAttribute('data-t0')) + index * Number(svg.getAttribute('data-step')));
    tooltip.textContent = start.toISOString().slice(0, 16).replace('T', ' ') + ' UTC · ' + fmt(values[index]) + ' exchanges';
    var figure = svg.closest('figure');
    if (tooltip.parentNode !== figure) figure.appendChild(tooltip);
    var figureBox = figure.getBoundingClientRect();
    tooltip.style.left = (box.left - figureBox.left + center / scale) + 'px';
    tooltip.style.top = (event.clientY - figureBox.top) + 'px';
  });

  // Accounts table: rows live in the JSON blob and are drawn one page at a time.
  var blob = doc.getElementById('accounts-data');
  var body = doc.getElementById('accounts-body');
  if (!blob || !body) return;
  var data = JSON.parse(blob.textContent);
  var rows = data.rows;
  var lower = { signals: data.signals.map(lc), clusters: data.clusters.map(lc), texts: data.texts.map(lc), ids: null };
  function lc(text) { return String(text).toLowerCase(); }
  var state = { query: '', flaggedOnly: false, sortKey: 'score', sortDir: -1, page: 0, pageSize: 50, view: [] };
  var search = doc.getElementById('account-search');
  var flaggedOnly = doc.getElementById('accounts-flagged-only');
  var status = doc.getElementById('accounts-status');
  var prev = doc.getElementById('accounts-prev');
  var next = doc.getElementById('accounts-next');
  var pageLabel = doc.getElementById('accounts-page');
  var sortButtons = doc.querySelectorAll('#accounts-table th button[data-sort]');

  function matches(row, terms, clusterExact) {
    if (state.flaggedOnly && row[2] !== 1) return false;
    if (clusterExact !== null) return row[3] >= 0 && lower.clusters[row[3]] === clusterExact;
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      var hit = lc(row[0]).indexOf(term) >= 0 || (row[3] >= 0 && lower.clusters[row[3]].indexOf(term) >= 0);
      for (var e = 0; !hit && e < row[6].length; e++) {
        hit = lower.texts[row[6][e][2]].indexOf(term) >= 0 || lower.signals[row[6][e][0]].indexOf(term) >= 0;
      }
      if (!hit) return false;
    }
    return true;
  }

  function recompute() {
    var query = state.query.trim().toLowerCase();
    var clusterExact = null;
    var terms = [];
    if (query.indexOf('cluster:') === 0) clusterExact = query.slice(8).trim();
    else if (query) terms = query.split(/\s+/);
    var view = [];
    for (var i = 0; i < rows.length; i++) if (matches(rows[i], terms, clusterExact)) view.push(i);
    var column = state.sortKey === 'exchanges' ? 4 : 1;
    var dir = state.sortDir;
    view.sort(function (a, b) { return (rows[a][column] - rows[b][column]) * dir || a - b; });
    state.view = view;
    state.page = 0;
    draw();
  }

  function scoreCell(score, flagged) {
    var wrap = el('span', 'score');
    var meter = el('span', flagged ? 'meter meter-flagged' : 'meter');
    meter.setAttribute('aria-hidden', 'true');
    var fill = el('span');
    fill.style.width = Math.max(0, Math.min(100, score / 10)) + '%';
    meter.appendChild(fill);
    wrap.appendChild(meter);
    wrap.appendChild(el('span', 'score-value', (score / 1000).toFixed(2)));
    return wrap;
  }

  function evidenceLine(cell) {
    var line = el('div', 'evidence-line');
    line.appendChild(el('span', 'signal', data.signals[cell[0]]));
    line.appendChild(doc.createTextNode(' ' + data.texts[cell[2]]));
    return line;
  }

  function draw() {
    var total = state.view.length;
    var pages = Math.max(1, Math.ceil(total / state.pageSize));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * state.pageSize;
    var to = Math.min(total, from + state.pageSize);
    var fragment = doc.createDocumentFragment();
    for (var i = from; i < to; i++) {
      var row = rows[state.view[i]];
      var tr = el('tr', row[2] === 1 ? 'is-flagged' : 'not-flagged');
      tr.appendChild(el('td', 'mono', row[0]));
      var scoreTd = el('td'); scoreTd.appendChild(scoreCell(row[1], row[2] === 1)); tr.appendChild(scoreTd);
      var statusTd = el('td'); statusTd.appendChild(el('span', row[2] === 1 ? 'badge badge-flagged' : 'badge badge-quiet', row[2] === 1 ? 'Flagged' : 'Not flagged')); tr.appendChild(statusTd);
      var clusterTd = el('td', 'mono');
      if (row[3] < 0) clusterTd.appendChild(el('span', 'muted', '—'));
      else if (row[3] < data.clusterCount) { var link = el('a', null, data.clusters[row[3]]); link.href = '#c-' + row[3]; clusterTd.appendChild(link); }
      else clusterTd.textContent = data.clusters[row[3]];
      tr.appendChild(clusterTd);
      tr.appendChild(el('td', 'num', fmt(row[4])));
      tr.appendChild(el('td', null, row[5] >= 0 ? data.tiers[row[5]] : '—'));
      var evidenceTd = el('td', 'evidence-cell');
      if (row[6].length === 0) evidenceTd.appendChild(el('span', 'muted', 'no evidence'));
      else {
        // The strongest item in full; the others behind a toggle so rows stay one or two lines.
        evidenceTd.appendChild(evidenceLine(row[6][0]));
        var hidden = row[7] - 1;
        if (hidden > 0) {
          var more = el('details');
          more.appendChild(el('summary', 'muted', '+' + hidden + ' more'));
          for (var e = 1; e < row[6].length; e++) more.appendChild(evidenceLine(row[6][e]));
          if (row[7] > row[6].length) more.appendChild(el('div', 'muted', (row[7] - row[6].length) + ' more in the findings JSON'));
          evidenceTd.appendChild(more);
        }
      }
      tr.appendChild(evidenceTd);
      fragment.appendChild(tr);
    }
    if (total === 0) {
      var empty = el('tr'); var cell = el('td', 'empty', 'No accounts match.'); cell.colSpan = 7; empty.appendChild(cell); fragment.appendChild(empty);
    }
    body.textContent = '';
    body.appendChild(fragment);
    status.textContent = total === 0 ? 'No matching accounts (' + fmt(rows.length) + ' in all)' : 'Showing ' + fmt(from + 1) + '–' + fmt(to) + ' of ' + fmt(total) + ' matching accounts (' + fmt(rows.length) + ' in all)';
    pageLabel.textContent = 'Page ' + fmt(state.page + 1) + ' of ' + fmt(pages);
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    for (var s = 0; s < sortButtons.length; s++) {
      var key = sortButtons[s].getAttribute('data-sort');
      var th = sortButtons[s].parentNode;
      th.setAttribute('aria-sort', key === state.sortKey ? (state.sortDir < 0 ? 'descending' : 'ascending') : 'none');
      sortButtons[s].querySelector('.sort-mark').textContent = key === state.sortKey ? (state.sortDir < 0 ? ' ▼' : ' ▲') : '';
    }
  }

  var timer = null;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = search.value; recompute(); }, 120);
  });
  flaggedOnly.addEventListener('change', function () { state.flaggedOnly = flaggedOnly.checked; recompute(); });
  prev.addEventListener('click', function () { state.page -= 1; draw(); });
  next.addEventListener('click', function () { state.page += 1; draw(); });
  for (var s = 0; s < sortButtons.length; s++) {
    sortButtons[s].addEventListener('click', function (event) {
      var key = event.currentTarget.getAttribute('data-sort');
      if (key === state.sortKey) state.sortDir = -state.sortDir; else { state.sortKey = key; state.sortDir = -1; }
      recompute();
    });
  }
  // "Show all members in the accounts table" links fill in the search.
  doc.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a[data-search]') : null;
    if (!link) return;
    search.value = link.getAttribute('data-search');
    state.query = search.value;
    recompute();
  });
  recompute();
})();
`;
