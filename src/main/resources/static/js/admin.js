// The admin dashboard's live panel: polls /admin/stats and shows totals and per-second rates.
(function () {
  'use strict';

  const POLL_MS = 2000;
  let previous = null;

  const $ = (id) => document.getElementById(id);

  function show(id, value) { $(id).textContent = value; }

  // Rates count only instances present in both samples, so one that starts or stops is no spike.
  function rate(current, field) {
    if (!previous) return '–';
    const seconds = (current.at - previous.at) / 1000;
    if (seconds <= 0) return '–';
    const before = new Map(previous.instances.map((i) => [i.instance, i[field]]));
    let delta = 0;
    current.instances.forEach((i) => { if (before.has(i.instance)) delta += Math.max(0, i[field] - before.get(i.instance)); });
    return Math.round(delta / seconds).toLocaleString();
  }

  function render(current) {
    show('live-online', current.online.toLocaleString());
    show('live-connections', current.instances.reduce((sum, i) => sum + i.connections, 0).toLocaleString());
    show('live-messages', rate(current, 'messages'));
    show('live-deliveries', rate(current, 'deliveries'));
    show('live-refused', rate(current, 'refused'));
    show('live-instances', String(current.instances.length));
    previous = current;
  }

  function poll() {
    fetch('/admin/stats', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .then(render)
      .catch(() => show('live-instances', 'unavailable'))
      .finally(() => setTimeout(poll, POLL_MS));
  }

  poll();
})();
