// The dashboard: reads the public API only, draws with uPlot (served by the API from its npm
// package). No inline script, so the page works under a strict Content-Security-Policy.
import uPlot from '/dashboard/assets/uPlot.esm.js';

const TOP_COUNTRIES = 15;
// The API's rule for `hours` (src/domain/rules.ts), checked here too so a typo gets its message
// without a request; the API's own answer is shown for anything it still refuses.
const MAX_HOURS = 8760;
const HOURS_MESSAGE = `Hours must be a number above 0 and at most ${MAX_HOURS} (e.g. 1, 24, 0.5).`;
const PIPELINE_REFRESH_MS = 5000;
const KEY_STORAGE = 'player-sessions.api-key';

const $ = (id) => document.getElementById(id);

/** GET from the API, with the optional key; throws an Error carrying a message for people. */
async function getJson(path) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  const response = await fetch(path, { headers });
  const body = await response.json().catch(() => null);
  if (response.ok) return body;
  const detail = body?.error?.message ?? `HTTP ${response.status}`;
  if (response.status === 401 || response.status === 403)
    throw new Error(
      `Not allowed (${response.status}): ${detail}. Enter an API key with read access above.`,
    );
  throw new Error(detail);
}

function cell(text, numeric = false) {
  const td = document.createElement('td');
  td.textContent = text;
  if (numeric) td.className = 'num';
  return td;
}

function fillTable(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      tr.append(...cells);
      return tr;
    }),
  );
}

const charts = new Map();

/** Replaces the chart in `container`; its data stays readable on the element (for tests, too). */
function drawChart(container, options, data) {
  charts.get(container)?.destroy();
  container.dataset.series = JSON.stringify(data);
  const chart = new uPlot(
    { ...options, width: container.clientWidth || 320, height: 260 },
    data,
    container,
  );
  charts.set(container, chart);
}

addEventListener('resize', () => {
  for (const [container, chart] of charts)
    chart.setSize({ width: container.clientWidth || 320, height: 260 });
});

function barChart(container, labels, values) {
  const xs = labels.map((_, i) => i);
  drawChart(
    container,
    {
      title: 'Top countries',
      scales: {
        x: { time: false, range: [-0.5, Math.max(labels.length, 1) - 0.5] },
        y: { range: (_, __, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [{ splits: () => xs, values: (_, splits) => splits.map((i) => labels[i] ?? '') }, {}],
      series: [
        { label: 'Country', value: (_, i) => (i == null ? '–' : (labels[i] ?? '')) },
        {
          label: 'Starts',
          fill: '#1f6feb',
          stroke: '#1f6feb',
          paths: uPlot.paths.bars({ size: [0.7] }),
          points: { show: false },
        },
      ],
    },
    [xs, values],
  );
}

/** Every UTC hour of the window, zero where the API lists none (it lists hours with starts). */
function everyHour(from, to, hourly) {
  const byHour = new Map(hourly.map((h) => [Date.parse(h.hour) / 1000, h.starts]));
  const times = [];
  for (
    let t = Math.floor(Date.parse(from) / 3_600_000) * 3600;
    t * 1000 < Date.parse(to);
    t += 3600
  )
    times.push(t);
  return [times, times.map((t) => byHour.get(t) ?? 0)];
}

function hourlyChart(container, title, [times, values]) {
  drawChart(
    container,
    {
      title,
      scales: { y: { range: (_, __, max) => [0, Math.max(1, max) * 1.1] } },
      series: [
        {},
        {
          label: 'Starts',
          fill: '#1f6feb',
          stroke: '#1f6feb',
          paths: uPlot.paths.bars({ size: [0.8] }),
          points: { show: false },
        },
      ],
    },
    [times, values],
  );
}

function currentHours() {
  return $('hours').value.trim();
}

function validHours(raw) {
  return /^\d+(\.\d+)?$/.test(raw) && Number(raw) > 0 && Number(raw) <= MAX_HOURS;
}

async function showStarts() {
  const message = $('starts-message');
  message.textContent = '';
  if (!validHours(currentHours())) {
    message.textContent = HOURS_MESSAGE;
    $('hours').setAttribute('aria-invalid', 'true');
    return;
  }
  $('hours').removeAttribute('aria-invalid');
  try {
    const data = await getJson(`/v1/countries/starts?hours=${encodeURIComponent(currentHours())}`);
    $('starts-total').textContent = String(data.total);
    $('starts-window').textContent = `from ${data.from} to ${data.to}`;
    const top = data.countries.slice(0, TOP_COUNTRIES);
    barChart(
      $('countries-chart'),
      top.map((c) => c.country),
      top.map((c) => c.starts),
    );
    fillTable(
      $('countries-table'),
      data.countries.map((c) => [cell(c.country), cell(String(c.starts), true)]),
    );
    if (!$('country').value && top[0]) $('country').value = top[0].country;
  } catch (err) {
    message.textContent = `Starts per country: ${err.message}`;
  }
  await showCountry();
}

async function showCountry() {
  const message = $('country-message');
  message.textContent = '';
  const country = $('country').value.trim();
  if (!country || !validHours(currentHours())) return;
  if (!/^[A-Za-z]{2}$/.test(country)) {
    message.textContent = 'A country code is two letters, e.g. SE.';
    return;
  }
  try {
    const path = `/v1/countries/${encodeURIComponent(country)}/starts?hours=${encodeURIComponent(currentHours())}`;
    const data = await getJson(path);
    $('country-total').textContent = String(data.starts);
    hourlyChart(
      $('country-chart'),
      `${data.country}, starts per UTC hour`,
      everyHour(data.from, data.to, data.hourly),
    );
  } catch (err) {
    message.textContent = `Country: ${err.message}`;
  }
}

function duration(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h} h ` : ''}${m > 0 || h > 0 ? `${m} min ` : ''}${s} s`;
}

async function showPlayer() {
  const message = $('player-message');
  message.textContent = '';
  const id = $('player').value.trim();
  fillTable($('sessions-table'), []);
  if (!id) {
    message.textContent = 'Enter a player id.';
    return;
  }
  try {
    const data = await getJson(`/v1/players/${encodeURIComponent(id)}/sessions?limit=20`);
    if (data.sessions.length === 0) {
      message.textContent = `No completed sessions for player “${id}” (unknown player, or none ended yet).`;
      return;
    }
    fillTable(
      $('sessions-table'),
      data.sessions.map((s) => [
        cell(s.start_ts),
        cell(s.end_ts),
        cell(duration(s.duration_seconds), true),
        cell(s.country),
      ]),
    );
  } catch (err) {
    message.textContent = `Player lookup: ${err.message}`;
  }
}

let previous;

const seconds = (s) => (s == null ? '–' : `${s.toFixed(3)} s`);

async function showPipeline() {
  const message = $('pipeline-message');
  try {
    const p = await getJson('/v1/pipeline');
    message.textContent = '';
    $('accepted-total').textContent = String(p.events_accepted_total);
    $('processed-total').textContent = String(p.events_processed_total);
    $('backlog').textContent = String(p.backlog_jobs);
    $('failed').textContent = String(p.failed_jobs);
    $('e2e-mean').textContent = seconds(p.end_to_end.mean_seconds);
    $('e2e-p95').textContent = seconds(p.end_to_end.p95_seconds);
    if (previous) {
      const elapsed = (Date.parse(p.at) - Date.parse(previous.at)) / 1000;
      // A restarted process restarts its counters: never show a negative rate.
      const rate = (now, before) => Math.max(0, (now - before) / elapsed).toFixed(1);
      if (elapsed > 0) {
        $('accepted-rate').textContent = rate(
          p.events_accepted_total,
          previous.events_accepted_total,
        );
        $('processed-rate').textContent = rate(
          p.events_processed_total,
          previous.events_processed_total,
        );
      }
    }
    previous = p;
  } catch (err) {
    message.textContent = `Pipeline: ${err.message}`;
  }
}

$('window').addEventListener('change', () => {
  const value = $('window').value;
  if (value === 'custom') $('hours').focus();
  else {
    $('hours').value = value;
    void showStarts();
  }
});
$('hours').addEventListener('input', () => {
  const match = [...$('window').options].find((o) => o.value === currentHours());
  $('window').value = match ? match.value : 'custom';
});
const onSubmit = (id, action) =>
  $(id).addEventListener('submit', (event) => {
    event.preventDefault();
    void action();
  });
onSubmit('window-form', showStarts);
onSubmit('country-form', showCountry);
onSubmit('player-form', showPlayer);
onSubmit('key-form', () => {
  const key = $('api-key').value.trim();
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
  return Promise.all([showStarts(), showPipeline()]);
});

$('api-key').value = sessionStorage.getItem(KEY_STORAGE) ?? '';
void showStarts();
void showPipeline();
setInterval(() => void showPipeline(), PIPELINE_REFRESH_MS);
