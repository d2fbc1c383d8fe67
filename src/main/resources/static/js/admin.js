// The console's live page: this moment's numbers (polled every 2 s), the online list, and charts of
// the last hour from the history every instance keeps in Redis (redrawn every 10 s).
(function () {
  'use strict';

  const POLL_MS = 2000;
  const CHART_MS = 10000;
  const CHART_HEIGHT = 180;
  const COLOURS = ['#2f5fd0', '#c2410c', '#15803d', '#7e22ce', '#be123c', '#0e7490', '#a16207', '#4338ca'];
  // the charts in the order of a sample's numbers after its time: connections, messages, deliveries, refused
  const CHARTS = ['connections', 'messages', 'deliveries', 'refused'];
  let previous = null;
  let history = null;
  const plots = new Map();

  const $ = (id) => document.getElementById(id);

  function show(id, value) { $(id).textContent = value; }

  // Below 10 a second, one decimal: one message in a 2-second interval is 0.5, not 0 or 1.
  function format(value) {
    return value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 });
  }

  // Rates count only instances present in both samples, so one that starts or stops is no spike.
  function rate(current, field) {
    if (!previous) return null;
    const seconds = (current.at - previous.at) / 1000;
    if (seconds <= 0) return null;
    const before = new Map(previous.instances.map((i) => [i.instance, i[field]]));
    let delta = 0;
    current.instances.forEach((i) => { if (before.has(i.instance)) delta += Math.max(0, i[field] - before.get(i.instance)); });
    return delta / seconds;
  }

  function render(current) {
    const connections = current.instances.reduce((sum, i) => sum + i.connections, 0);
    show('live-online', current.online.toLocaleString());
    show('live-connections', connections.toLocaleString());
    ['messages', 'deliveries', 'refused'].forEach((name) => {
      const value = rate(current, name);
      show('live-' + name, value === null ? '–' : format(value));
    });
    show('live-instances', String(current.instances.length));
    onlineList(current);
    previous = current;
  }

  // The online list follows who comes and goes; its rows are built as the page's own are, text as text.
  function onlineList(current) {
    const body = document.querySelector('#online tbody');
    if (!body || !Array.isArray(current.users)) return;
    show('online-count', current.online.toLocaleString());
    const shown = [...body.querySelectorAll('tr')].map((row) => row.dataset.user).join(' ');
    if (shown === current.users.map((u) => u.id).join(' ')) return;
    const csrf = document.querySelector('input[name="_csrf"]');
    body.replaceChildren(...current.users.map((user) => onlineRow(user, csrf ? csrf.value : '')));
  }

  function onlineRow(user, csrf) {
    const row = document.createElement('tr');
    row.dataset.user = user.id;
    const id = cell('User');
    id.appendChild(link('/admin/people/' + encodeURIComponent(user.id), user.id));
    const name = cell('Name');
    const shownName = document.createElement('span');
    shownName.textContent = user.name;
    name.appendChild(shownName);
    if (user.guest) {
      const hint = document.createElement('span');
      hint.className = 'hint';
      hint.textContent = ' guest';
      name.appendChild(hint);
    }
    const actions = cell('');
    const moderate = link('/admin/moderation?user=' + encodeURIComponent(user.id), 'Moderate');
    moderate.className = 'moderate';
    actions.append(moderate, ' ', banForm(user.id, csrf));
    row.append(id, name, actions);
    return row;
  }

  function link(href, text) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function banForm(userId, csrf) {
    const ban = document.createElement('form');
    ban.method = 'post';
    ban.action = '/admin/ban';
    ban.className = 'inline-form';
    ban.dataset.confirm = 'Ban ' + userId + '? They are disconnected at once and stay out until unbanned.';
    ban.addEventListener('submit', (event) => { if (!window.confirm(ban.dataset.confirm)) event.preventDefault(); });
    [['user', userId], ['back', '/admin'], ['_csrf', csrf]].forEach(([field, value]) => {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = field;
      input.value = value;
      ban.appendChild(input);
    });
    const submit = document.createElement('button');
    submit.type = 'submit';
    submit.className = 'danger';
    submit.textContent = 'Ban';
    ban.appendChild(submit);
    return ban;
  }

  function cell(label) {
    const td = document.createElement('td');
    td.dataset.label = label;
    return td;
  }

  // Each instance's samples, on the shared 10-second grid: connections as they were, the counters as
  // rates since the sample before (none across a gap, or where a counter went back).
  function lines(data) {
    const step = data.step;
    return data.instances.map((line) => {
      const points = new Map();
      let before = null;
      line.samples.forEach((sample) => {
        const at = sample[0];
        const rates = [1, 2, 3].map((i) => {
          if (!before || at - before[0] <= 0 || at - before[0] > 3 * step || sample[i + 1] < before[i + 1]) return null;
          return (sample[i + 1] - before[i + 1]) / ((at - before[0]) / 1000);
        });
        points.set(Math.round(at / step) * step, [sample[1], ...rates]);
        before = sample;
      });
      return { instance: line.instance, points };
    });
  }

  // uPlot's columns: the times (s), then one column per line; all instances summed unless asked apart.
  function columns(data, which, perInstance) {
    const instances = lines(data);
    const times = [...new Set(instances.flatMap((line) => [...line.points.keys()]))].sort((a, b) => a - b);
    const value = (line, t) => (line.points.has(t) ? line.points.get(t)[which] : null);
    const series = perInstance
      ? instances.map((line) => ({ label: line.instance, values: times.map((t) => value(line, t)) }))
      : [{ label: 'All instances', values: times.map((t) => {
        const present = instances.map((line) => value(line, t)).filter((v) => v !== null);
        return present.length ? present.reduce((a, b) => a + b, 0) : null;
      }) }];
    return { times: times.map((t) => t / 1000), series };
  }

  function draw() {
    if (!history || typeof uPlot === 'undefined') return;
    const perInstance = $('per-instance').checked;
    const now = Date.now() / 1000;
    $('charts-empty').hidden = history.instances.length > 0;
    CHARTS.forEach((name, which) => {
      const figure = $('chart-' + name);
      const { times, series } = columns(history, which, perInstance);
      const unit = figure.dataset.unit;
      const options = {
        width: Math.max(240, figure.clientWidth),
        height: CHART_HEIGHT,
        series: [{}, ...series.map((line, i) => ({
          label: line.label,
          stroke: COLOURS[i % COLOURS.length],
          width: 1.5,
          value: (u, v) => (v === null || v === undefined ? '–' : format(v) + ' ' + unit),
        }))],
        scales: { x: { time: true, range: () => [now - history.span / 1000, now] }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{}, { label: unit, size: 64, values: (u, ticks) => ticks.map(format) }],
      };
      const values = series.flatMap((line) => line.values).filter((v) => v !== null);
      const peak = values.length ? Math.max(...values) : null;
      figure.dataset.peak = peak === null ? '' : String(peak);
      figure.querySelector('figcaption').textContent = figure.dataset.title
        + (peak === null ? '' : ' (peak in the hour: ' + format(peak) + ' ' + unit + ')');
      const old = plots.get(name);
      if (old) old.destroy();
      plots.set(name, new uPlot(options, [times, ...series.map((line) => line.values)], figure));
    });
  }

  function loadHistory() {
    fetch('/admin/stats/history', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .then((data) => { history = data; draw(); })
      .catch(() => { /* the next try redraws */ })
      .finally(() => setTimeout(loadHistory, CHART_MS));
  }

  function poll() {
    fetch('/admin/stats', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .then(render)
      .catch(() => show('live-instances', 'unavailable'))
      .finally(() => setTimeout(poll, POLL_MS));
  }

  $('per-instance').addEventListener('change', draw);
  let resizing = null;
  window.addEventListener('resize', () => { clearTimeout(resizing); resizing = setTimeout(draw, 200); });
  poll();
  loadHistory();
})();
