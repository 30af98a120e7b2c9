// The dashboard: reads the public API only, draws with uPlot (served by the API from its npm
// package). No inline script, so the page works under a strict Content-Security-Policy.
import uPlot from '/dashboard/assets/uPlot.esm.js';

const TOP_COUNTRIES = 15;
// Room for one two-letter label on the bar chart's axis, gap included: at 390 px fewer bars are
// drawn rather than labels running together.
const BAR_LABEL_PX = 34;
const Y_AXIS_PX = 60;
// Counts have whole-number ticks: uPlot picks the step from these.
const COUNT_STEPS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((p) => m * p));
COUNT_STEPS.sort((a, b) => a - b);
const AXIS_FONT = '12px system-ui, sans-serif';
// The API's rule for `hours` (src/domain/rules.ts), checked here too so a typo gets its message
// without a request; the API's own answer is shown for anything it still refuses.
const MAX_HOURS = 8760;
const HOURS_MESSAGE = `Hours must be a number above 0 and at most ${MAX_HOURS} (e.g. 1, 24, 0.5).`;
const PIPELINE_REFRESH_MS = 5000;
const KEY_STORAGE = 'player-sessions.api-key';

const $ = (id) => document.getElementById(id);

// Keys are on unless the service says AUTH=off: ask for one before any call the API would refuse.
const AUTH = document.body.dataset.auth === 'on';
const KEY_PROMPT =
  'This service checks API keys: paste the key `npm start` printed (kept in .local/dev-api-key), or one from `npm run keys` with read access, then choose Use key.';

/** True (and says so) when the API would answer 401: keys are on and none was entered. */
function keyMissing() {
  const missing = AUTH && !sessionStorage.getItem(KEY_STORAGE);
  $('key-prompt').textContent = missing ? KEY_PROMPT : '';
  return missing;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** A country's English name from the browser's own data (the code when it has none). */
function countryName(code) {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

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

/** An axis's labels as drawn, also kept on the chart's element: canvas text cannot be read back. */
function recorded(container, name, format) {
  return (u, splits, ...rest) => {
    const labels = format(u, splits, ...rest);
    container.dataset[name] = JSON.stringify(labels);
    container.dataset[`${name}At`] = JSON.stringify(splits);
    return labels;
  };
}

const countAxis = (container) => ({
  font: AXIS_FONT,
  incrs: COUNT_STEPS,
  values: recorded(container, 'yLabels', (_, splits) => splits.map(String)),
});

const redraws = new Map();
addEventListener('resize', () => {
  for (const [container, chart] of charts)
    if (redraws.has(container)) redraws.get(container)();
    else chart.setSize({ width: container.clientWidth || 320, height: 260 });
});

/** The top countries, as many as their labels have room for at the chart's width. */
function barChart(container, countries) {
  const room = Math.floor(((container.clientWidth || 320) - Y_AXIS_PX) / BAR_LABEL_PX);
  const top = countries.slice(0, Math.max(1, Math.min(TOP_COUNTRIES, room)));
  const labels = top.map((c) => c.country);
  const values = top.map((c) => c.starts);
  const xs = labels.map((_, i) => i);
  redraws.set(container, () => barChart(container, countries));
  drawChart(
    container,
    {
      title: 'Top countries',
      scales: {
        x: { time: false, range: [-0.5, Math.max(labels.length, 1) - 0.5] },
        y: { range: (_, __, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        {
          font: AXIS_FONT,
          splits: () => xs,
          values: recorded(container, 'xLabels', (_, splits) => splits.map((i) => labels[i] ?? '')),
        },
        countAxis(container),
      ],
      series: [
        {
          label: 'Country',
          value: (_, i) => (i == null ? '–' : countryName(labels[i] ?? '')),
        },
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

/** Tick labels in UTC, whatever the browser's zone: the hour, and the date where a day begins. */
function utcLabels(_, splits, __, ___, step) {
  return splits.map((t, i) => {
    const iso = new Date(t * 1000).toISOString();
    if (step >= 86400) return iso.slice(0, 10);
    const newDay =
      i === 0 || iso.slice(0, 10) !== new Date(splits[i - 1] * 1000).toISOString().slice(0, 10);
    return newDay ? `${iso.slice(11, 16)}\n${iso.slice(5, 10)}` : iso.slice(11, 16);
  });
}

function hourlyChart(container, title, [times, values]) {
  drawChart(
    container,
    {
      title,
      // Ticks fall on UTC hours and days (uPlot's own tick placement, in this zone).
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { y: { range: (_, __, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [
        { font: AXIS_FONT, values: recorded(container, 'xLabels', utcLabels) },
        countAxis(container),
      ],
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

let countries = [];

/** The table of every country of the window, narrowed to those matching the filter. */
function showCountries() {
  const wanted = $('country-filter').value.trim().toLowerCase();
  const shown = countries.filter(
    (c) => !wanted || c.country.toLowerCase() === wanted || c.name.toLowerCase().includes(wanted),
  );
  fillTable(
    $('countries-table'),
    shown.map((c) => [cell(c.name), cell(c.country), cell(String(c.starts), true)]),
  );
  $('countries-shown').textContent = wanted
    ? `${shown.length} of ${countries.length} countries match`
    : `${countries.length} countries, most starts first`;
}

async function showStarts() {
  const message = $('starts-message');
  message.textContent = '';
  if (keyMissing()) return;
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
    countries = data.countries.map((c) => ({ ...c, name: countryName(c.country) }));
    barChart($('countries-chart'), countries);
    showCountries();
    if (!$('country').value && countries[0]) $('country').value = countries[0].country;
  } catch (err) {
    message.textContent = `Starts per country: ${err.message}`;
  }
  await showCountry();
}

async function showCountry() {
  const message = $('country-message');
  message.textContent = '';
  const country = $('country').value.trim();
  if (!country || !validHours(currentHours()) || keyMissing()) return;
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

/** A UTC time as people read it (milliseconds only when there are some), exact in `datetime`. */
function time(iso, sameDayAs) {
  const el = document.createElement('time');
  el.dateTime = iso;
  const shown = iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
  // An end on its start's day needs no date again.
  el.textContent = sameDayAs?.slice(0, 10) === iso.slice(0, 10) ? shown.slice(11) : shown;
  return el;
}

/** Start above end, so the table fits a phone's width without hiding a column. */
function span(start, end) {
  const td = document.createElement('td');
  td.className = 'span';
  td.append(time(start), document.createElement('br'), time(end, start));
  return td;
}

function countryCell(code) {
  const td = cell(code);
  td.title = countryName(code);
  return td;
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
  if (keyMissing()) return;
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
        span(s.start_ts, s.end_ts),
        cell(duration(s.duration_seconds), true),
        countryCell(s.country),
      ]),
    );
  } catch (err) {
    message.textContent = `Player lookup: ${err.message}`;
  }
}

let previous;

// A mean to three significant digits; a p95 is a histogram bucket's bound, shown as configured.
const mean = (s) => (s == null ? '–' : `${Number(s.toPrecision(3))} s`);
const bound = (s) => (s == null ? '–' : `${s} s`);

async function showPipeline() {
  const message = $('pipeline-message');
  if (keyMissing()) return;
  try {
    const p = await getJson('/v1/pipeline');
    message.textContent = '';
    $('accepted-total').textContent = String(p.events_accepted_total);
    $('processed-total').textContent = String(p.events_processed_total);
    $('backlog').textContent = String(p.backlog_jobs);
    $('failed').textContent = String(p.failed_jobs);
    $('e2e-mean').textContent = mean(p.end_to_end.mean_seconds);
    $('e2e-p95').textContent = bound(p.end_to_end.p95_seconds);
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
$('country-filter').addEventListener('input', showCountries);
onSubmit('key-form', () => {
  const key = $('api-key').value.trim();
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
  return Promise.all([showStarts(), showPipeline()]);
});
if (keyMissing()) $('api-key').focus();

$('api-key').value = sessionStorage.getItem(KEY_STORAGE) ?? '';
void showStarts();
void showPipeline();
setInterval(() => void showPipeline(), PIPELINE_REFRESH_MS);
