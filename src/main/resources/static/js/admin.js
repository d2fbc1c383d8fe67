// The admin dashboard: the live panel polls /admin/stats and shows totals, per-second rates and a line
// of each over the last two minutes, kept across the page's reloads in this tab; the online list's
// buttons lead to the moderation forms.
(function () {
  'use strict';

  const POLL_MS = 2000;
  const KEPT = 60;
  const SPARK_WIDTH = 120;
  const SPARK_HEIGHT = 28;
  const KEPT_KEY = 'parley.admin.live';
  let previous = null;
  const history = { connections: [], messages: [], deliveries: [], refused: [] };

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

  function record(name, value) {
    if (value === null) return;
    const values = history[name];
    values.push(value);
    if (values.length > KEPT) values.shift();
    spark(name, values);
  }

  // Each line is scaled to its own peak, which the chart's title (its tooltip) states.
  function spark(name, values) {
    const svg = $('spark-' + name);
    const peak = Math.max(...values);
    const step = SPARK_WIDTH / (KEPT - 1);
    // one sample is drawn as a short level line: a polyline of one point shows nothing
    const drawn = values.length === 1 ? [values[0], values[0]] : values;
    const offset = SPARK_WIDTH - step * (drawn.length - 1);
    const points = drawn.map((v, i) => {
      const y = SPARK_HEIGHT - 1 - (peak > 0 ? (v / peak) * (SPARK_HEIGHT - 2) : 0);
      return (offset + i * step).toFixed(1) + ',' + y.toFixed(1);
    });
    svg.querySelector('polyline').setAttribute('points', points.join(' '));
    svg.dataset.peak = String(peak);
    const label = svg.getAttribute('aria-label');
    svg.querySelector('title').textContent = label + ': peak ' + format(peak);
  }

  function render(current) {
    const connections = current.instances.reduce((sum, i) => sum + i.connections, 0);
    const rates = { messages: rate(current, 'messages'), deliveries: rate(current, 'deliveries'), refused: rate(current, 'refused') };
    show('live-online', current.online.toLocaleString());
    show('live-connections', connections.toLocaleString());
    Object.entries(rates).forEach(([name, value]) => show('live-' + name, value === null ? '–' : format(value)));
    show('live-instances', String(current.instances.length));
    record('connections', connections);
    Object.entries(rates).forEach(([name, value]) => record(name, value));
    onlineList(current);
    previous = current;
    keep();
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
    const link = document.createElement('a');
    link.href = '/admin/people/' + encodeURIComponent(user.id);
    link.textContent = user.id;
    id.appendChild(link);
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
    const moderate = document.createElement('button');
    moderate.type = 'button';
    moderate.className = 'link moderate';
    moderate.dataset.user = user.id;
    moderate.textContent = 'Moderate';
    moderate.addEventListener('click', () => fillForms(user.id));
    actions.appendChild(moderate);
    const ban = document.createElement('form');
    ban.method = 'post';
    ban.action = '/admin/ban';
    ban.className = 'inline-form';
    ban.dataset.confirm = 'Ban ' + user.id + '? They are disconnected at once and stay out until unbanned.';
    ban.addEventListener('submit', (event) => { if (!window.confirm(ban.dataset.confirm)) event.preventDefault(); });
    [['user', user.id], ['_csrf', csrf]].forEach(([field, value]) => {
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
    actions.appendChild(ban);
    row.append(id, name, actions);
    return row;
  }

  function cell(label) {
    const td = document.createElement('td');
    td.dataset.label = label;
    return td;
  }

  function fillForms(userId) {
    ['kick-user', 'ban-user', 'mute-user'].forEach((id) => { $(id).value = userId; });
    $('moderate').scrollIntoView();
    $('kick-reason').focus();
  }

  // Every form on this page reloads it: the lines go on from the samples kept in this tab, unless they
  // are older than the lines' span.
  function restore() {
    let kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(KEPT_KEY)); } catch (e) { return; }
    if (!kept || !(Date.now() - kept.savedAt < KEPT * POLL_MS)) return;
    previous = kept.previous && Array.isArray(kept.previous.instances) ? kept.previous : null;
    const saved = kept.history || {};
    Object.keys(history).forEach((name) => {
      const values = Array.isArray(saved[name]) ? saved[name].filter(Number.isFinite) : [];
      history[name] = values.slice(-KEPT);
      if (history[name].length) spark(name, history[name]);
    });
  }

  function keep() {
    try {
      sessionStorage.setItem(KEPT_KEY, JSON.stringify({ savedAt: Date.now(), previous, history }));
    } catch (e) { /* storage full or disabled: the lines start over on the next load */ }
  }

  function poll() {
    fetch('/admin/stats', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .then(render)
      .catch(() => show('live-instances', 'unavailable'))
      .finally(() => setTimeout(poll, POLL_MS));
  }

  // "Moderate" in the online list fills in the forms (a ban there asks first: confirm.js)
  document.querySelectorAll('button.moderate').forEach((button) => {
    button.addEventListener('click', () => fillForms(button.dataset.user));
  });

  restore();
  poll();
})();
