// Draws the Vigil replay report from the JSON embedded in the page. Plain SVG, no libraries.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('vigil-data').textContent);
  var SEV = ['info', 'warning', 'critical'];
  var SVGNS = 'http://www.w3.org/2000/svg';
  var app = document.getElementById('app');
  var tip = document.getElementById('tip');
  var LABEL = 330, ROW = 17, HEAD = 22, RIGHT = 64;
  var PALETTE = ['#0f766e', '#7c3aed', '#b45309', '#0369a1', '#be185d', '#4d7c0f', '#475569', '#9a3412'];

  // span arrays: [row, severity, start, end|null, resolved, value, threshold, resolved value, summary]
  var S_ROW = 0, S_SEV = 1, S_A = 2, S_B = 3, S_RES = 4, S_V = 5, S_T = 6, S_RV = 7, S_SUM = 8;
  var spans = D.spans || [], rows = D.rows || [], rules = D.rules || [];
  var t0 = D.start, t1 = D.end;
  if (!(t1 > t0)) { t0 = (t0 || 0) - 1800000; t1 = t0 + 3600000; }
  var spansByRow = rows.map(function () { return []; });
  spans.forEach(function (s, i) { spansByRow[s[S_ROW]].push(i); });
  var rowsByRule = rules.map(function () { return []; });
  rows.forEach(function (r, i) { rowsByRule[r[0]].push(i); });
  var expanded = rules.map(function (r, i) { return rowsByRule[i].length <= 12; });

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function pad(n) { return n < 10 ? '0' + n : '' + n; }
  function fmtTime(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + (d.getUTCSeconds() ? ':' + pad(d.getUTCSeconds()) : '');
  }
  function fmtDur(ms) {
    if (ms === 0) return '0';
    if (ms < 1000) return Math.round(ms) + ' ms';
    var s = Math.round(ms / 1000);
    if (s < 60) return s + ' s';
    var m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);
    if (d > 0) return d + 'd ' + (h % 24) + 'h';
    if (h > 0) return h + 'h ' + pad(m % 60) + 'm';
    return m + 'm' + (s % 60 ? ' ' + pad(s % 60) + 's' : '');
  }
  function fmtInt(n) { return Number(n).toLocaleString('en-US'); }
  function fmtNum(v) {
    if (v === null || v === undefined) return '–';
    var a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
    return String(Math.round(v * 1000) / 1000);
  }
  function fmtValue(v, unit) {
    if (v === null || v === undefined) return '–';
    if (unit === 'duration') return fmtDur(v);
    if (unit === 'ratio') return (Math.round(v * 10000) / 100) + '%';
    return fmtNum(v);
  }
  function truncate(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  var STEPS = [60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3,
    86400e3, 172800e3, 604800e3, 1209600e3, 2592000e3, 7776000e3, 31536000e3];
  function timeTicks(a, b, px) {
    var want = Math.max(2, Math.floor(px / 95)), step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i++) { if ((b - a) / STEPS[i] <= want) { step = STEPS[i]; break; } }
    var out = [];
    for (var t = Math.ceil(a / step) * step; t <= b; t += step) out.push(t);
    return { step: step, ticks: out };
  }
  function tickLabel(t, step, first) {
    var d = new Date(t), day = pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
    if (step >= 86400e3) return d.getUTCFullYear() + '-' + day;
    var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    return (first || (d.getUTCHours() === 0 && d.getUTCMinutes() === 0)) ? day + ' ' + hm : hm;
  }
  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p, steps = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) { if (m <= steps[i] + 1e-9) return steps[i] * p; }
    return 10 * p;
  }
  // a duration axis ends on a round duration, so that its middle is one too
  var DURS = [1e3, 2e3, 5e3, 10e3, 20e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1200e3, 1800e3, 3600e3, 7200e3,
    14400e3, 21600e3, 28800e3, 43200e3, 86400e3, 172800e3, 345600e3, 604800e3, 1209600e3];
  function niceTop(v, unit) {
    if (unit === 'duration') { for (var i = 0; i < DURS.length; i++) { if (v <= DURS[i]) return DURS[i]; } }
    return niceMax(v);
  }

  function section(title, sub) {
    var h = document.createElement('h2');
    h.textContent = title;
    app.appendChild(h);
    if (sub) {
      var p = document.createElement('div');
      p.className = 'meta';
      p.textContent = sub;
      app.appendChild(p);
    }
    var div = document.createElement('div');
    app.appendChild(div);
    return div;
  }

  // ---- summary --------------------------------------------------------------------------------
  function summary() {
    document.getElementById('meta').textContent = 'replay output ' + D.out + ' · event time ' +
      fmtTime(D.start) + ' – ' + fmtTime(D.end) + ' UTC · generated ' + D.generated_at.replace('T', ' ').replace(/\..*Z$/, 'Z');
    var el = section('Summary');
    var a = D.alerts, h = '<div class="cards">';
    function card(n, l) { h += '<div class="card"><div class="n">' + esc(n) + '</div><div class="l">' + esc(l) + '</div></div>'; }
    var total = D.total || { read: 0, invalid: 0 };
    card(fmtInt(total.read), 'records read');
    card(fmtInt(total.invalid), 'invalid (' + (total.read ? (100 * total.invalid / total.read).toFixed(2) : '0') + '%)');
    card(fmtInt(D.dead_letters), 'dead letters');
    card(fmtInt(a.events), 'alert events');
    card(fmtInt(rows.length), 'alerts (rule × entity)');
    h += '</div><div class="cards">';
    h += '<table class="counts"><tr><th>source</th><th>read</th><th>valid</th><th>invalid</th><th>invalid %</th><th>late</th></tr>';
    function srow(name, c, cls) {
      h += '<tr' + (cls ? ' class="' + cls + '"' : '') + '><td>' + esc(name) + '</td><td>' + fmtInt(c.read) + '</td><td>' +
        fmtInt(c.valid) + '</td><td>' + fmtInt(c.invalid) + '</td><td>' +
        (c.read ? (100 * c.invalid / c.read).toFixed(2) : '0.00') + '</td><td>' + fmtInt(c.late) + '</td></tr>';
    }
    (D.sources || []).forEach(function (s) { srow(s.name, s); });
    if (D.total) srow('total', D.total, 'total');
    h += '</table><table class="counts"><tr><th>severity</th><th>fired</th><th>resolved</th></tr>';
    for (var i = SEV.length - 1; i >= 0; i--) {
      h += '<tr><td><span class="sev-dot s' + i + '"></span>' + SEV[i] + '</td><td>' + fmtInt(a.fired[SEV[i]]) +
        '</td><td>' + fmtInt(a.resolved[SEV[i]]) + '</td></tr>';
    }
    h += '</table></div>';
    el.innerHTML = h;
  }

  // ---- timeline -------------------------------------------------------------------------------
  var filterText = '', sevShown = [true, true, true];
  var timelineAxis, timelineBody, shownLabel;

  function rowMatches(r) {
    if (!filterText) return true;
    var row = rows[r], hay = (rules[row[0]].id + ' ' + row[1]).toLowerCase();
    var sevs = spansByRow[r].map(function (i) { return SEV[spans[i][S_SEV]]; }).join(' ');
    var terms = filterText.split(/\s+/);
    for (var i = 0; i < terms.length; i++) {
      if (terms[i] && hay.indexOf(terms[i]) < 0 && sevs.indexOf(terms[i]) < 0) return false;
    }
    return true;
  }
  function spanShown(i) {
    if (!sevShown[spans[i][S_SEV]]) return false;
    if (!filterText) return true;
    // a severity word in the filter keeps only the spans of that severity
    var terms = filterText.split(/\s+/);
    for (var k = 0; k < terms.length; k++) {
      var sv = SEV.indexOf(terms[k]);
      if (sv >= 0 && spans[i][S_SEV] !== sv) return false;
    }
    return true;
  }

  function timeline() {
    var el = section('Alert timeline',
      'one row per rule × entity; bars are firing spans coloured by severity, a dark tick marks a resolve; ' +
      'rules with many entities start collapsed into one lane (click the rule to expand)');
    var c = document.createElement('div');
    c.className = 'controls';
    c.innerHTML = '<input type="search" id="filter" placeholder="filter by rule, entity or severity (all words must match)">' +
      SEV.map(function (s, i) {
        return '<label><input type="checkbox" class="sevbox" data-s="' + i + '" checked> <span class="sev-dot s' + i + '"></span>' + s + '</label>';
      }).join('') +
      '<button id="expand-all" type="button">expand all</button><button id="collapse-all" type="button">collapse all</button>' +
      '<span class="shown" id="shown"></span>';
    el.appendChild(c);
    var legend = document.createElement('div');
    legend.className = 'legend';
    legend.innerHTML = SEV.map(function (s, i) {
      return '<span><svg width="22" height="10"><rect class="span s' + i + '" x="0" y="1" width="22" height="8"/></svg> ' + s + '</span>';
    }).join('') +
      '<span><svg width="22" height="10"><rect class="span s1 open" x="0" y="1" width="22" height="8"/></svg> still firing at the end of the input</span>' +
      '<span><svg width="8" height="12"><line class="res" x1="4" x2="4" y1="0" y2="12"/></svg> resolved</span>' +
      '<span>times are UTC (event time)</span>';
    el.appendChild(legend);
    timelineAxis = document.createElement('div');
    timelineAxis.className = 'axis-wrap';
    timelineBody = document.createElement('div');
    timelineBody.id = 'timeline';
    el.appendChild(timelineAxis);
    el.appendChild(timelineBody);
    shownLabel = c.querySelector('#shown');
    var pending = null;
    c.querySelector('#filter').addEventListener('input', function (e) {
      clearTimeout(pending);
      var v = e.target.value;
      pending = setTimeout(function () { filterText = v.trim().toLowerCase(); drawTimeline(); drawSignals(); }, 120);
    });
    Array.prototype.forEach.call(c.querySelectorAll('.sevbox'), function (b) {
      b.addEventListener('change', function () { sevShown[+b.getAttribute('data-s')] = b.checked; drawTimeline(); });
    });
    c.querySelector('#expand-all').addEventListener('click', function () { expanded = expanded.map(function () { return true; }); drawTimeline(); });
    c.querySelector('#collapse-all').addEventListener('click', function () { expanded = expanded.map(function () { return false; }); drawTimeline(); });
    timelineBody.addEventListener('click', function (e) {
      var r = e.target.getAttribute && e.target.getAttribute('data-rule');
      if (r !== null && r !== undefined) { expanded[+r] = !expanded[+r]; drawTimeline(); }
    });
    hover(timelineBody);
    drawTimeline();
  }

  function plotWidth() {
    var cs = getComputedStyle(app);
    return Math.max(320, app.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - LABEL - RIGHT);
  }
  function xOf(t, w) { return LABEL + (t - t0) / (t1 - t0) * w; }

  function axisSvg(w, withLabels) {
    var tk = timeTicks(t0, t1, w), h = '';
    tk.ticks.forEach(function (t, i) {
      var x = xOf(t, w);
      h += '<line class="grid" x1="' + x + '" x2="' + x + '" y1="16" y2="24"/>';
      // labels at the ends stay inside the plot
      var anchor = x - LABEL < 40 ? 'start' : LABEL + w - x < 40 ? 'end' : 'middle';
      if (withLabels) h += '<text class="tick" x="' + x + '" y="12" text-anchor="' + anchor + '">' + tickLabel(t, tk.step, i === 0) + '</text>';
    });
    if (withLabels) h += '<text class="tick" x="4" y="12">event time, UTC</text>';
    return { svg: h, ticks: tk.ticks };
  }

  function drawTimeline() {
    var w = plotWidth(), width = LABEL + w + RIGHT;
    var ax = axisSvg(w, true);
    timelineAxis.innerHTML = '<svg width="' + width + '" height="24">' + ax.svg + '</svg>';
    var body = [], y = 0, nSpans = 0, nRows = 0, nRules = 0;
    function spanRect(i, top, h) {
      var s = spans[i], a = xOf(s[S_A], w), open = s[S_B] === null, b = xOf(open ? t1 : s[S_B], w);
      var out = '<rect class="span s' + s[S_SEV] + (open ? ' open' : '') + '" data-i="' + i + '" x="' + a.toFixed(1) +
        '" y="' + top + '" width="' + Math.max(2, b - a).toFixed(1) + '" height="' + h + '"/>';
      if (s[S_RES]) out += '<line class="res" x1="' + b.toFixed(1) + '" x2="' + b.toFixed(1) + '" y1="' + (top - 2) + '" y2="' + (top + h + 2) + '"/>';
      nSpans++;
      return out;
    }
    rules.forEach(function (rule, ri) {
      var rs = rowsByRule[ri].filter(rowMatches);
      if (!rs.length) return;
      nRules++;
      var count = 0;
      rs.forEach(function (r) { count += spansByRow[r].filter(spanShown).length; });
      body.push('<rect class="band" x="0" y="' + y + '" width="' + width + '" height="' + HEAD + '"/>');
      body.push('<text class="rule-head" data-rule="' + ri + '" x="4" y="' + (y + 15) + '">' + (expanded[ri] ? '▾ ' : '▸ ') +
        esc(truncate(rule.id, 34)) + '</text>');
      body.push('<text class="rule-meta" x="' + (LABEL - 8) + '" y="' + (y + 15) + '" text-anchor="end">' + rs.length +
        (rs.length === 1 ? ' entity · ' : ' entities · ') + count + (count === 1 ? ' span' : ' spans') + '</text>');
      if (!expanded[ri]) {
        rs.forEach(function (r) { spansByRow[r].forEach(function (i) { if (spanShown(i)) body.push(spanRect(i, y + 5, HEAD - 10)); }); });
        y += HEAD;
        return;
      }
      y += HEAD;
      rs.forEach(function (r) {
        nRows++;
        body.push('<text class="entity" data-row="' + r + '" x="14" y="' + (y + 12.5) + '">' + esc(truncate(rows[r][1], 50)) + '</text>');
        spansByRow[r].forEach(function (i) { if (spanShown(i)) body.push(spanRect(i, y + 3, ROW - 6)); });
        y += ROW;
      });
    });
    var grid = '';
    ax.ticks.forEach(function (t) { var x = xOf(t, w); grid += '<line class="grid" x1="' + x + '" x2="' + x + '" y1="0" y2="' + y + '"/>'; });
    if (!body.length) {
      timelineBody.innerHTML = '<div class="empty">' + (spans.length ? 'no alert matches the filter' : 'no alert fired in this replay') + '</div>';
    } else {
      timelineBody.innerHTML = '<svg width="' + width + '" height="' + (y + 4) + '">' + grid + body.join('') + '</svg>';
    }
    shownLabel.textContent = nSpans + ' of ' + spans.length + ' spans · ' + nRules + ' rules · ' + nRows + ' expanded rows';
  }

  // ---- tooltips: one element, found through the hovered SVG shape ----------------------------
  function spanTip(i) {
    var s = spans[i], row = rows[s[S_ROW]], rule = rules[row[0]], unit = rule.unit;
    var end = s[S_B] === null ? 'still firing at the end of the input' : fmtTime(s[S_B]) + (s[S_RES] ? ' (resolved)' : '');
    return '<b>' + esc(rule.id) + '</b> · ' + SEV[s[S_SEV]] + '\n' + esc(row[1]) + '\n' +
      fmtTime(s[S_A]) + ' → ' + esc(end) + (s[S_B] !== null ? '  (' + fmtDur(s[S_B] - s[S_A]) + ')' : '') + '\n' +
      'value ' + fmtValue(s[S_V], unit) + ' · threshold ' + fmtValue(s[S_T], unit) +
      (s[S_RES] && s[S_RV] !== null ? ' · at resolve ' + fmtValue(s[S_RV], unit) : '') +
      (s[S_SUM] ? '\n' + esc(s[S_SUM]) : '');
  }
  var tipTexts = {};
  function hover(container) {
    container.addEventListener('mousemove', function (e) {
      var t = e.target, html = null;
      if (t.getAttribute) {
        var i = t.getAttribute('data-i'), r = t.getAttribute('data-row'), k = t.getAttribute('data-k');
        if (i !== null) html = spanTip(+i);
        else if (r !== null) html = esc(rows[+r][1]);
        else if (k !== null) html = tipTexts[k];
      }
      if (html === null) { tip.hidden = true; return; }
      tip.innerHTML = html;
      tip.hidden = false;
      var x = e.clientX + 14, y = e.clientY + 14, bw = tip.offsetWidth, bh = tip.offsetHeight;
      if (x + bw > window.innerWidth - 8) x = e.clientX - bw - 14;
      if (y + bh > window.innerHeight - 8) y = e.clientY - bh - 14;
      tip.style.left = x + 'px';
      tip.style.top = y + 'px';
    });
    container.addEventListener('mouseleave', function () { tip.hidden = true; });
  }

  // ---- per-source volume and invalid rate -----------------------------------------------------
  var volumeEl;
  function volume() {
    volumeEl = section('Volume and invalid rate per source',
      'records read per bucket of event time (grey valid, red invalid); purple line: invalid share of the bucket (right axis)');
    hover(volumeEl);
    drawVolume();
  }
  function drawVolume() {
    var el = volumeEl, names = Object.keys(D.volume || {});
    if (!names.length) { el.innerHTML = '<div class="empty">no per-minute counts in this output</div>'; return; }
    var w = plotWidth(), width = LABEL + w + RIGHT, H = 120, top = 8, ax = axisSvg(w, true);
    var n = Math.max(1, Math.min(Math.floor(w / 3), 400)), bucket = D.bucket_ms;
    while ((t1 - t0) / bucket > n) bucket *= 2;
    var steps = [60e3, 300e3, 900e3, 1800e3, 3600e3, 10800e3, 21600e3, 43200e3, 86400e3, 604800e3];
    for (var s = 0; s < steps.length; s++) { if (steps[s] >= bucket) { bucket = Math.max(steps[s], D.bucket_ms); break; } }
    var html = '';
    names.forEach(function (name, si) {
      var b = {};
      D.volume[name].forEach(function (m) {
        var k = Math.floor(m[0] / bucket) * bucket, c = b[k] || (b[k] = [0, 0, 0]);
        c[0] += m[1]; c[1] += m[2]; c[2] += m[3];
      });
      var keys = Object.keys(b).map(Number).sort(function (x, y) { return x - y; });
      var max = 0, maxRate = 0;
      keys.forEach(function (k) { max = Math.max(max, b[k][0]); if (b[k][0]) maxRate = Math.max(maxRate, b[k][1] / b[k][0]); });
      max = niceMax(max);
      var rateMax = maxRate > 0.5 ? 1 : niceMax(Math.max(maxRate, 0.001));
      var g = '', line = '', bw = Math.max(1, (bucket / (t1 - t0)) * w - 0.5);
      function yOf(v) { return top + H - v / max * H; }
      function yRate(v) { return top + H - v / rateMax * H; }
      keys.forEach(function (k) {
        var c = b[k], x = xOf(k, w), key = 'v' + si + '_' + k;
        tipTexts[key] = '<b>' + esc(name) + '</b> · ' + fmtTime(k) + ' + ' + fmtDur(bucket) + '\nread ' + fmtInt(c[0]) +
          ' · invalid ' + fmtInt(c[1]) + ' (' + (c[0] ? (100 * c[1] / c[0]).toFixed(2) : '0') + '%) · late ' + fmtInt(c[2]);
        g += '<rect class="bar-valid" data-k="' + key + '" x="' + x.toFixed(1) + '" y="' + yOf(c[0]).toFixed(1) + '" width="' + bw.toFixed(1) +
          '" height="' + (H + top - yOf(c[0])).toFixed(1) + '"/>';
        if (c[1]) g += '<rect class="bar-invalid" data-k="' + key + '" x="' + x.toFixed(1) + '" y="' + yOf(c[1]).toFixed(1) + '" width="' + bw.toFixed(1) +
          '" height="' + (H + top - yOf(c[1])).toFixed(1) + '"/>';
        line += (line ? 'L' : 'M') + (x + bw / 2).toFixed(1) + ',' + yRate(c[0] ? c[1] / c[0] : 0).toFixed(1);
      });
      var src = (D.sources || []).filter(function (x) { return x.name === name; })[0];
      var grid = '';
      ax.ticks.forEach(function (t) { var x = xOf(t, w); grid += '<line class="grid" x1="' + x + '" x2="' + x + '" y1="' + top + '" y2="' + (top + H) + '"/>'; });
      var anyInvalid = keys.some(function (k) { return b[k][1] > 0; });
      [0, 0.5, 1].forEach(function (f) {
        var yy = top + H - f * H;
        grid += '<line class="grid" x1="' + LABEL + '" x2="' + (LABEL + w) + '" y1="' + yy + '" y2="' + yy + '"/>' +
          '<text class="tick" x="' + (LABEL - 6) + '" y="' + (yy + 4) + '" text-anchor="end">' + fmtInt(Math.round(max * f)) + '</text>' +
          (anyInvalid ? '<text class="tick" x="' + (LABEL + w + 6) + '" y="' + (yy + 4) + '">' + (Math.round(rateMax * f * 1000) / 10) + '%</text>' : '');
      });
      if (!anyInvalid) line = '';
      html += '<svg width="' + width + '" height="' + (H + top + 8) + '">' + grid +
        '<text class="rule-head" x="4" y="' + (top + 14) + '">' + esc(truncate(name, 34)) + '</text>' +
        '<text class="rule-meta" x="4" y="' + (top + 30) + '">' + (src ? fmtInt(src.read) + ' read · ' + fmtInt(src.invalid) + ' invalid' : '') + '</text>' +
        '<text class="rule-meta" x="4" y="' + (top + 46) + '">records per ' + fmtDur(bucket) + '</text>' +
        g + (line ? '<path class="rate" d="' + line + '"/>' : '') + '</svg>';
    });
    el.innerHTML = '<div class="axis-wrap"><svg width="' + width + '" height="24">' + ax.svg + '</svg></div>' + html;
  }

  // ---- per rule: the values judged against the thresholds ------------------------------------
  var signalsEl;
  function signals() {
    signalsEl = section('Signals judged per rule',
      'the value each alert event carried (at firing, escalation and resolve; from alerts.jsonl) for the entities that fired, ' +
      'against the rule\'s thresholds (dashed); up to 8 entities per rule, most alerting first');
    hover(signalsEl);
    drawSignals();
  }
  function drawSignals() {
    if (!signalsEl) return;
    var w = plotWidth(), width = LABEL + w + RIGHT, H = 110, top = 10, ax = axisSvg(w, true), out = '', drawn = 0;
    rules.forEach(function (rule, ri) {
      var rs = rowsByRule[ri].filter(rowMatches).filter(function (r) {
        return spansByRow[r].some(function (i) { return spans[i][S_V] !== null; });
      });
      if (!rs.length) return;
      rs.sort(function (a, b) { return spansByRow[b].length - spansByRow[a].length; });
      var more = rs.length - 8;
      rs = rs.slice(0, 8);
      var thr = {}, lo = 0, hi = 0;
      if (rule.warning !== undefined) thr[1] = [rule.warning];
      if (rule.critical !== undefined) thr[2] = [rule.critical];
      rs.forEach(function (r) {
        spansByRow[r].forEach(function (i) {
          var s = spans[i];
          [s[S_V], s[S_RV]].forEach(function (v) { if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
          if (s[S_T] !== null) {
            var list = thr[s[S_SEV]] || (thr[s[S_SEV]] = []);
            if (list.indexOf(s[S_T]) < 0) list.push(s[S_T]);
          }
        });
      });
      Object.keys(thr).forEach(function (k) { thr[k].forEach(function (v) { lo = Math.min(lo, v); hi = Math.max(hi, v); }); });
      hi = niceTop(hi * 1.08, rule.unit);
      if (lo < 0) lo = -niceMax(-lo * 1.08);
      function yOf(v) { return top + H - (v - lo) / (hi - lo) * H; }
      var g = '';
      ax.ticks.forEach(function (t) { var x = xOf(t, w); g += '<line class="grid" x1="' + x + '" x2="' + x + '" y1="' + top + '" y2="' + (top + H) + '"/>'; });
      [lo, (lo + hi) / 2, hi].forEach(function (v) {
        var yy = yOf(v);
        g += '<line class="grid" x1="' + LABEL + '" x2="' + (LABEL + w) + '" y1="' + yy + '" y2="' + yy + '"/>' +
          '<text class="tick" x="' + (LABEL - 6) + '" y="' + (yy + 4) + '" text-anchor="end">' + esc(fmtValue(v, rule.unit)) + '</text>';
      });
      Object.keys(thr).forEach(function (k) {
        thr[k].forEach(function (v) {
          var yy = yOf(v);
          g += '<line class="thr s' + k + '" x1="' + LABEL + '" x2="' + (LABEL + w) + '" y1="' + yy + '" y2="' + yy + '"/>' +
            '<text class="tick" x="' + (LABEL + w + 4) + '" y="' + (yy + 4) + '">' + SEV[k] + '</text>';
        });
      });
      var legend = '';
      rs.forEach(function (r, n) {
        var color = PALETTE[n % PALETTE.length], path = '', pts = '';
        spansByRow[r].forEach(function (i) {
          var s = spans[i];
          [[s[S_A], s[S_V]], [s[S_RES] ? s[S_B] : null, s[S_RV]]].forEach(function (p, e) {
            if (p[0] === null || p[1] === null) return;
            var x = xOf(p[0], w).toFixed(1), yy = yOf(p[1]).toFixed(1);
            path += (path ? 'L' : 'M') + x + ',' + yy;
            pts += '<circle class="pt s' + (e ? 0 : s[S_SEV]) + '" data-i="' + i + '" cx="' + x + '" cy="' + yy + '" r="' + (e ? 3 : 4) + '"' +
              (e ? ' style="fill:#fff;stroke:' + color + ';stroke-width:1.5"' : '') + '/>';
          });
        });
        g += '<path class="sig" style="stroke:' + color + '" d="' + path + '"/>' + pts;
        if (n < 4) legend += '<text x="4" y="' + (top + 46 + n * 14) + '" data-row="' + r + '" style="fill:' + color + '">● ' + esc(truncate(rows[r][1], 44)) + '</text>';
      });
      if (rs.length > 4 || more > 0) {
        legend += '<text class="rule-meta" x="4" y="' + (top + 46 + 4 * 14) + '">' + (rs.length > 4 ? '+' + (rs.length - 4) + ' more drawn' : '') +
          (more > 0 ? (rs.length > 4 ? ', ' : '') + more + ' not drawn' : '') + '</text>';
      }
      out += '<div class="panel"><svg width="' + width + '" height="' + (H + top + 12) + '">' + g +
        '<text class="rule-head" x="4" y="' + (top + 12) + '">' + esc(truncate(rule.id, 36)) + '</text>' +
        '<text class="rule-meta" x="4" y="' + (top + 28) + '">' + esc(truncate(rule.description || rule.kind || '', 52)) + '</text>' +
        legend + '</svg></div>';
      drawn++;
    });
    signalsEl.innerHTML = '<div class="axis-wrap"><svg width="' + width + '" height="24">' + ax.svg + '</svg></div>' +
      (drawn ? out : '<div class="empty">no alert with a numeric value' + (filterText ? ' matches the filter' : '') + '</div>');
  }

  summary();
  timeline();
  volume();
  signals();
  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { drawTimeline(); drawVolume(); drawSignals(); }, 150);
  });
  document.body.setAttribute('data-rendered', 'true');
})();
