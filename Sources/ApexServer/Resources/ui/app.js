// Apex web UI: a single page over the public API (/v1) and its event streams. No framework, no
// build step: plain DOM code. Views are chosen by the URL's fragment (#/runs, #/runs/ID,
// #/workflows, #/workflows/NAME); each view closes its streams when the page moves on.
'use strict';

(() => {
  const STATUSES = ['running', 'completed', 'failed', 'cancelled', 'timed_out'];
  const main = document.getElementById('main');
  const live = document.getElementById('live');
  /** Things to stop when the view changes: streams, timers. */
  let cleanups = [];

  // ---------- DOM helpers ----------

  /** An element with attributes (`on…` functions become listeners) and children (text or nodes). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function replace(node, ...children) {
    node.replaceChildren();
    return append(node, children);
  }

  /** Redraws `node` with `build()` only when `key` differs from the last drawing's: a redraw
   * that changes nothing would take the focus (and a click in progress) away from its buttons. */
  const drawnKeys = new WeakMap();
  function redraw(node, key, build) {
    const text = JSON.stringify(key);
    if (drawnKeys.get(node) === text) return;
    drawnKeys.set(node, text);
    replace(node, ...[].concat(build()));
  }

  const badge = (status) => el('span', { class: `badge ${status}`, 'data-status': status }, status.replace('_', ' '));
  const json = (value) => el('pre', { class: 'mono' }, JSON.stringify(value, null, 2));

  function duration(milliseconds) {
    if (milliseconds < 1000) return `${Math.max(0, Math.round(milliseconds))} ms`;
    const seconds = milliseconds / 1000;
    if (seconds < 60) return `${seconds.toFixed(1)} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  const since = (start, end) => duration((end ? Date.parse(end) : Date.now()) - Date.parse(start));
  const shortTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');

  /** Calls `action` at most once per `wait` ms, the last call winning. */
  function debounce(action, wait) {
    let timer = null;
    const call = () => { clearTimeout(timer); timer = setTimeout(action, wait); };
    cleanups.push(() => clearTimeout(timer));
    return call;
  }

  // ---------- The API ----------

  const session = {
    get token() { return sessionStorage.getItem('apex.token') || ''; },
    get namespace() { return sessionStorage.getItem('apex.namespace') || ''; },
  };

  class APIError extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  /** Sends a request with the token and namespace; a failure (network or HTTP) is an APIError. */
  async function send(method, path, body, accept) {
    const headers = { Accept: accept };
    if (session.token) headers.Authorization = `Bearer ${session.token}`;
    if (session.namespace) headers['X-Apex-Namespace'] = session.namespace;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new APIError(0, { title: 'The server cannot be reached', detail: String(error.message || error) });
    }
    if (!response.ok) throw new APIError(response.status, await response.json().catch(() => ({})));
    return response;
  }

  /** A call of the JSON API: its answer, parsed (null for an empty body). */
  async function api(method, path, body) {
    const text = await (await send(method, path, body, 'application/json')).text();
    return text ? JSON.parse(text) : null;
  }

  /** A GET whose answer is text (a graph's SVG). */
  const apiText = async (path) => (await send('GET', path, undefined, 'image/svg+xml, */*')).text();

  /** What a failed call says, one line per problem: the schema's `errors` when it has them. */
  function problemLines(error) {
    const errors = error.problem && error.problem.errors;
    return errors ? errors.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))) : [error.message];
  }

  /** A stream URL with the token and namespace in the query: an EventSource cannot send headers. */
  function streamURL(path) {
    const url = new URL(path, location.origin);
    if (session.token) url.searchParams.set('access_token', session.token);
    if (session.namespace) url.searchParams.set('namespace', session.namespace);
    return url.toString();
  }

  /** Opens an SSE stream, closed when the view changes. `handlers` maps event names to functions. */
  function stream(path, handlers) {
    const source = new EventSource(streamURL(path));
    for (const [name, handler] of Object.entries(handlers)) {
      source.addEventListener(name, (message) => handler(message.data ? JSON.parse(message.data) : null, message));
    }
    source.onopen = () => { live.textContent = 'live'; live.classList.add('on'); };
    source.onerror = () => {
      live.classList.remove('on');
      live.textContent = source.readyState === EventSource.CLOSED ? 'stream closed' : 'reconnecting…';
    };
    cleanups.push(() => source.close());
    return source;
  }

  /** What a failed call shows: a token prompt for 401, else the problem. Never a blank page. */
  function showError(error, where = main) {
    if (error instanceof APIError && error.status === 401) {
      replace(where, el('section', { class: 'panel', role: 'alert', id: 'auth-needed' },
        el('h2', {}, 'This server needs a token'),
        el('p', {}, session.token ? 'The token given was refused: ' + error.message : 'Requests need a bearer token (see docs/security.md; `apex sign` makes one).'),
        el('button', { type: 'button', class: 'primary', onclick: openTokenDialog }, 'Enter a token')));
      return;
    }
    const title = error instanceof APIError ? `${error.status || ''} ${error.problem.title || 'Error'}`.trim() : 'Error';
    replace(where, el('section', { class: 'panel', role: 'alert' }, el('h2', { class: 'error' }, title), el('p', {}, error.message)));
  }

  // ---------- Token ----------

  const tokenDialog = document.getElementById('token-dialog');
  function openTokenDialog() {
    document.getElementById('token-input').value = session.token;
    document.getElementById('namespace-input').value = session.namespace;
    tokenDialog.showModal();
  }
  document.getElementById('token-button').addEventListener('click', openTokenDialog);
  tokenDialog.addEventListener('close', () => {
    if (tokenDialog.returnValue === 'save') {
      sessionStorage.setItem('apex.token', document.getElementById('token-input').value.trim());
      sessionStorage.setItem('apex.namespace', document.getElementById('namespace-input').value.trim());
    } else if (tokenDialog.returnValue === 'clear') {
      sessionStorage.removeItem('apex.token');
    } else {
      return;
    }
    route();
  });

  /** Asks a yes/no question in a modal dialog; resolves to the reason typed, or null for no. */
  function confirmAction(text) {
    const dialog = document.getElementById('confirm-dialog');
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('confirm-reason').value = '';
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes' ? document.getElementById('confirm-reason').value.trim() : null), { once: true });
    });
  }

  // ---------- JSON Schema (the subset workflows use), to refuse a bad signal before sending ----------

  function typeOf(value) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value;
  }

  /** The schema's complaints about `value`, as `path: message` strings (none when it matches). */
  function schemaErrors(schema, value, path = '$') {
    if (schema === true || schema === undefined || schema === null) return [];
    if (schema === false) return [`${path}: no value is allowed here`];
    const errors = [];
    const actual = typeOf(value);
    if (schema.type !== undefined) {
      const allowed = [].concat(schema.type);
      const fits = allowed.includes(actual) || (actual === 'integer' && allowed.includes('number'));
      if (!fits) return [`${path}: expected ${allowed.join(' or ')}, got ${actual}`];
    }
    if (schema.enum && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
      errors.push(`${path}: must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`);
    }
    if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: must be ${JSON.stringify(schema.const)}`);
    if (actual === 'string') {
      if (schema.minLength !== undefined && [...value].length < schema.minLength) errors.push(`${path}: at least ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errors.push(`${path}: at most ${schema.maxLength} characters`);
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: must match ${schema.pattern}`);
    }
    if (actual === 'number' || actual === 'integer') {
      if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: must be ≥ ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: must be ≤ ${schema.maximum}`);
      if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) errors.push(`${path}: must be > ${schema.exclusiveMinimum}`);
      if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) errors.push(`${path}: must be < ${schema.exclusiveMaximum}`);
    }
    if (actual === 'object') {
      for (const name of schema.required || []) if (!(name in value)) errors.push(`${path}: "${name}" is required`);
      const properties = schema.properties || {};
      for (const [name, member] of Object.entries(value)) {
        if (name in properties) errors.push(...schemaErrors(properties[name], member, `${path}.${name}`));
        else if (schema.additionalProperties === false) errors.push(`${path}: "${name}" is not allowed`);
        else if (typeof schema.additionalProperties === 'object') errors.push(...schemaErrors(schema.additionalProperties, member, `${path}.${name}`));
      }
    }
    if (actual === 'array') {
      if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: at least ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: at most ${schema.maxItems} items`);
      if (schema.items && typeof schema.items === 'object') value.forEach((item, index) => errors.push(...schemaErrors(schema.items, item, `${path}[${index}]`)));
    }
    return errors;
  }

  // ---------- Graphs ----------

  /** Parses the server's SVG (our own renderer's, text escaped) into a node of this document. */
  function svgNode(text) {
    const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
    if (parsed.querySelector('parsererror')) return el('p', { class: 'error' }, 'The graph could not be drawn.');
    return document.importNode(parsed.documentElement, true);
  }

  /** Sets each state node's status class from the graph JSON (`nodes[].status`). */
  function colourGraph(container, graph) {
    for (const node of graph.nodes) {
      if (!node.step) continue;
      const drawn = container.querySelector(`.node[data-node="${CSS.escape(node.id)}"]`);
      if (!drawn || drawn.dataset.status === node.status) continue;
      for (const name of [...drawn.classList]) if (name.startsWith('status-')) drawn.classList.remove(name);
      drawn.classList.add(`status-${node.status}`);
      drawn.dataset.status = node.status;
      const title = drawn.querySelector('title');
      if (title) title.textContent = `${node.step} (${node.kind}): ${node.status}`;
    }
  }

  /** Makes the state nodes of a drawn graph clickable and reachable with the keyboard. */
  function selectableNodes(container, onSelect) {
    for (const node of container.querySelectorAll('.node[data-step]')) {
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      node.setAttribute('aria-label', `step ${node.dataset.step}`);
    }
    const pick = (event) => {
      const node = event.target.closest('.node[data-step]');
      if (!node) return;
      if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      for (const other of container.querySelectorAll('.node.selected')) other.classList.remove('selected');
      node.classList.add('selected');
      onSelect(node.dataset.step);
    };
    container.addEventListener('click', pick);
    container.addEventListener('keydown', pick);
  }

  // ---------- Runs ----------

  function runsQuery(params) {
    const query = new URLSearchParams();
    for (const name of ['status', 'workflow', 'started_after', 'started_before', 'cursor']) if (params.get(name)) query.set(name, params.get(name));
    return query;
  }

  /** `datetime-local` value (local time) ⇄ RFC 3339 (UTC) of the API. */
  const toRFC3339 = (local) => (local ? new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
  function toLocalInput(rfc) {
    if (!rfc) return '';
    const date = new Date(rfc);
    return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  }

  async function viewRuns(params) {
    const counts = el('ul', { class: 'counts', 'aria-label': 'Runs per status' });
    const body = el('tbody');
    const pager = el('div', { class: 'pager' });
    const workflows = el('datalist', { id: 'workflow-names' });
    const field = (name, label, input) => el('div', {}, el('label', { for: `filter-${name}` }, label), input);
    const form = el('form', { class: 'filters panel', id: 'run-filters', onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const query = new URLSearchParams();
      if (data.get('status')) query.set('status', data.get('status'));
      if (data.get('workflow')) query.set('workflow', data.get('workflow').trim());
      if (data.get('started_after')) query.set('started_after', toRFC3339(data.get('started_after')));
      if (data.get('started_before')) query.set('started_before', toRFC3339(data.get('started_before')));
      location.hash = `#/runs?${query}`;
    } },
      field('status', 'Status', el('select', { id: 'filter-status', name: 'status' }, el('option', { value: '' }, 'any'),
        STATUSES.map((status) => el('option', { value: status, selected: params.get('status') === status }, status)))),
      field('workflow', 'Workflow', el('input', { id: 'filter-workflow', name: 'workflow', value: params.get('workflow') || '', list: 'workflow-names', autocomplete: 'off' })),
      field('started_after', 'Started from', el('input', { id: 'filter-started_after', name: 'started_after', type: 'datetime-local', value: toLocalInput(params.get('started_after')) })),
      field('started_before', 'Started before', el('input', { id: 'filter-started_before', name: 'started_before', type: 'datetime-local', value: toLocalInput(params.get('started_before')) })),
      el('button', { type: 'submit', class: 'primary' }, 'Filter'),
      el('a', { href: '#/runs' }, 'Clear'),
      workflows);
    replace(main, el('h1', {}, 'Runs'), form, counts,
      el('section', { class: 'panel' }, el('div', { class: 'table-wrap' }, el('table', { id: 'runs' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Run'), el('th', {}, 'Workflow'), el('th', {}, 'Status'),
          el('th', { class: 'optional' }, 'Step'), el('th', { class: 'optional' }, 'Started'), el('th', { class: 'optional' }, 'Duration'))),
        body)), pager));
    api('GET', '/v1/workflows').then((answer) => replace(workflows, answer.workflows.map((workflow) => el('option', { value: workflow.name })))).catch(() => {});

    async function refresh() {
      const query = runsQuery(params);
      query.set('counts', 'true');
      let page;
      try {
        page = await api('GET', `/v1/runs?${query}`);
      } catch (error) {
        showError(error);
        return false;
      }
      const total = Object.values(page.counts).reduce((sum, count) => sum + count, 0);
      const chip = (status, label, count) => {
        const query = runsQuery(params);
        query.delete('cursor');
        if (status) query.set('status', status); else query.delete('status');
        return el('li', {}, el('a', { href: `#/runs?${query}`, 'aria-current': (params.get('status') || '') === status ? 'true' : 'false', 'data-count': status || 'all' },
          `${label} ${count}`));
      };
      replace(counts, chip('', 'all', total), STATUSES.map((status) => chip(status, status.replace('_', ' '), page.counts[status] || 0)));
      replace(body, page.runs.length === 0 ? el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No runs match.')) : page.runs.map((run) =>
        el('tr', { 'data-run': run.id },
          el('td', { class: 'mono' }, el('a', { href: `#/runs/${encodeURIComponent(run.id)}` }, run.id)),
          el('td', {}, run.workflow),
          el('td', {}, badge(run.status)),
          el('td', { class: 'optional mono' }, run.current_step || ''),
          el('td', { class: 'optional' }, shortTime(run.started_at)),
          el('td', { class: 'optional' }, since(run.started_at, run.finished_at)))));
      const first = runsQuery(params);
      first.delete('cursor');
      const next = runsQuery(params);
      if (page.next_cursor) next.set('cursor', page.next_cursor);
      replace(pager,
        params.get('cursor') ? el('a', { href: `#/runs?${first}` }, '« Newest') : null,
        page.next_cursor ? el('a', { href: `#/runs?${next}`, id: 'older' }, 'Older »') : null,
        el('span', { class: 'hint' }, `${page.runs.length} shown`));
      return true;
    }
    if (!(await refresh())) return;
    // New runs and status changes arrive on the namespace's stream: redraw the page then.
    const later = debounce(refresh, 250);
    stream('/v1/events', Object.fromEntries(['RunStarted', 'RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut', 'StepScheduled', 'StepCompleted']
      .map((type) => [type, later])));
  }

  // ---------- A run ----------

  /** The events of one attempt of a step, from the history: when it started and how it ended. */
  function attemptsOf(events, stepKey) {
    const attempts = new Map();
    for (const event of events) {
      if (event.step !== stepKey || event.attempt === undefined) continue;
      const id = `${event.visit}/${event.attempt}`;
      const entry = attempts.get(id) || { visit: event.visit, attempt: event.attempt, scheduled: event.at };
      if (event.type === 'StepStarted') entry.started = event.at;
      if (event.type === 'StepCompleted') { entry.ended = event.at; entry.outcome = 'completed'; entry.usage = event.usage; }
      if (event.type === 'StepFailed') { entry.ended = event.at; entry.outcome = 'failed'; entry.error = event.error; }
      // An agent's attempt that waits for a person (an approval, an answer) ends suspended.
      if (event.type === 'StepSuspended') { entry.ended = event.at; entry.outcome = `waits for signal ${event.signal}`; }
      attempts.set(id, entry);
    }
    return [...attempts.values()];
  }

  /** The step's id without its iteration scopes: `each[2]/summarize` → `summarize`. */
  const stepIDOf = (key) => key.split('/').pop();

  async function viewRun(runID) {
    // The header's facts are redrawn as the run moves; its Cancel button stays the same
    // element (hidden once the run has ended), so a redraw never takes it from under a click.
    const facts = el('div', {});
    const cancelButton = el('button', { type: 'button', class: 'danger', id: 'cancel', hidden: true, onclick: cancel }, 'Cancel run…');
    const head = el('section', { class: 'panel', id: 'run-head' }, el('div', { class: 'run-head' }, facts, el('div', { class: 'actions' }, cancelButton)));
    const graphBox = el('div', { class: 'graph', id: 'graph', 'aria-label': 'The run\'s graph' });
    const details = el('section', { class: 'panel', id: 'step-details', 'aria-live': 'polite' },
      el('h2', {}, 'Step'), el('p', { class: 'hint' }, 'Select a step in the graph (click, or Tab and Enter).'));
    const signals = el('div', { id: 'signals' });
    const reply = el('section', { class: 'panel', id: 'live-reply', hidden: true }, el('h2', {}, 'Reply as it streams'), el('pre', { class: 'reply mono' }));
    const timeline = el('ol', { class: 'timeline', id: 'timeline' });
    replace(main, head,
      el('div', { class: 'run-grid' },
        el('section', { class: 'panel' }, el('h2', {}, 'Graph'), graphBox),
        el('div', {}, signals, details, reply)),
      el('section', { class: 'panel' }, el('h2', {}, 'History'), timeline));

    const events = [];
    let run = null;
    let graph = null;
    let selected = null;
    let drawn = false;
    const openForms = new Set();

    function renderHead() {
      const steps = run.steps || [];
      const finished = run.status !== 'running';
      const waiting = graph ? graph.nodes.filter((node) => node.status === 'waiting').map((node) => node.step) : [];
      cancelButton.hidden = finished;
      redraw(facts, [run, waiting], () => [
            el('h1', {}, 'Run ', el('span', { class: 'mono' }, run.id), ' ', badge(run.status)),
            el('dl', { class: 'facts' },
              el('dt', {}, 'workflow'), el('dd', {}, run.workflow, ' ', el('span', { class: 'hint mono' }, run.definition_hash.slice(0, 19))),
              el('dt', {}, 'started'), el('dd', {}, shortTime(run.started_at), ' (', since(run.started_at, run.finished_at), ')'),
              run.current_step ? [el('dt', {}, 'at'), el('dd', { class: 'mono' }, run.current_step, waiting.length ? ' — waiting' : '')] : null,
              el('dt', {}, 'steps'), el('dd', {}, `${steps.length} visited`),
              el('dt', {}, 'tokens'), el('dd', {}, `${run.usage.input_tokens} in, ${run.usage.output_tokens} out`),
              el('dt', {}, 'input'), el('dd', {}, json(run.input)),
              run.output !== null ? [el('dt', {}, 'output'), el('dd', { id: 'run-output' }, json(run.output))] : null,
              run.error ? [el('dt', {}, 'error'), el('dd', { class: 'error' }, `${run.error.type}: ${run.error.message}`)] : null)]);
    }

    async function cancel() {
      const reason = await confirmAction(`Cancel run ${runID}? Steps in flight are abandoned; the run ends as cancelled.`);
      if (reason === null) return;
      try {
        await api('POST', `/v1/runs/${encodeURIComponent(runID)}/cancel`, reason ? { reason } : {});
        refresh();
      } catch (error) {
        alertIn(facts, error);
      }
    }

    function renderDetails() {
      if (!selected) return;
      const visits = (run.steps || []).filter((step) => stepIDOf(step.step) === selected);
      const node = graph && graph.nodes.find((candidate) => candidate.step === selected);
      const status = node ? node.status : 'pending';
      const received = events.filter((event) => event.type === 'SignalConsumed' && stepIDOf(event.step) === selected)
        .map((consumed) => events.find((event) => event.type === 'SignalReceived' && event.signal_id === consumed.signal_id)).filter(Boolean);
      const ownEvents = events.filter((event) => event.step !== undefined && stepIDOf(event.step) === selected).length;
      redraw(details, [selected, visits, status, ownEvents, received.length], () => [
        el('h2', {}, 'Step ', el('span', { class: 'mono' }, selected), ' ', badge(status)),
        node ? el('p', { class: 'hint' }, `${node.kind} step · ${node.visits} visit(s)`) : null,
        visits.length === 0 ? el('p', { class: 'hint' }, 'Not run yet.') : null,
        visits.map((visit) => {
          const attempts = attemptsOf(events, visit.step).filter((attempt) => attempt.visit === visit.visit);
          return el('div', { class: 'visit' },
            el('h3', {}, el('span', { class: 'mono' }, visit.step), visits.length > 1 ? ` visit ${visit.visit}` : '', ' ', badge(visit.status)),
            el('p', {}, `${visit.attempts} attempt(s), ${since(visit.started_at, visit.finished_at)}`,
              visit.usage ? ` · ${visit.usage.input_tokens} tokens in, ${visit.usage.output_tokens} out` : ''),
            attempts.length ? el('table', { class: 'attempts' },
              el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'started'), el('th', {}, 'took'), el('th', {}, 'outcome'))),
              el('tbody', {}, attempts.map((attempt) => el('tr', {},
                el('td', {}, attempt.attempt),
                el('td', {}, shortTime(attempt.started || attempt.scheduled)),
                el('td', {}, attempt.ended ? duration(Date.parse(attempt.ended) - Date.parse(attempt.started || attempt.scheduled)) : '…'),
                el('td', { class: attempt.error ? 'error' : '' }, attempt.outcome || 'running', attempt.error ? `: ${attempt.error.type}: ${attempt.error.message}` : ''))))) : null,
            visit.output !== null ? [el('h4', {}, 'Output'), json(visit.output)] : null,
            visit.error ? [el('h4', {}, 'Error'), el('pre', { class: 'error mono' }, `${visit.error.type}: ${visit.error.message}`)] : null);
        }),
        received.length ? [el('h4', {}, 'Input (signals received)'), received.map((event) => json({ [event.name]: event.payload }))] :
          el('p', { class: 'hint' }, 'Inputs of a step are computed from the run\'s state on replay, not stored; the history shows what it did.')]);
    }

    /** A form per waiting `wait` step, built from its schema and checked before it is sent. */
    function renderSignals() {
      const waiting = graph.nodes.filter((node) => node.kind === 'wait' && node.status === 'waiting' && node.signal);
      for (const form of [...signals.children]) if (!waiting.some((node) => node.signal === form.dataset.signal)) form.remove();
      for (const node of waiting) {
        if (signals.querySelector(`[data-signal="${CSS.escape(node.signal)}"]`)) continue;
        signals.append(signalForm(node));
      }
    }

    function signalForm(node) {
      const schema = node.schema || {};
      const properties = schema.type === 'object' || schema.properties ? Object.entries(schema.properties || {}) : [];
      const errors = el('ul', { class: 'error', role: 'alert', id: `signal-errors-${node.signal}` });
      const raw = el('textarea', { rows: 4, id: `signal-json-${node.signal}`, name: 'json', spellcheck: 'false', 'aria-label': 'Payload as JSON' });
      const rawBox = el('details', { open: properties.length === 0 }, el('summary', {}, 'Payload as JSON'), raw);
      const fields = properties.map(([name, property]) => {
        const id = `signal-${node.signal}-${name}`;
        const required = (schema.required || []).includes(name);
        const label = el('label', { for: id }, name, required ? ' *' : '', property.description ? ` — ${property.description}` : '');
        let input;
        if (property.enum) input = el('select', { id, name }, el('option', { value: '' }, '—'), property.enum.map((option) => el('option', { value: JSON.stringify(option) }, String(option))));
        else if (property.type === 'boolean') input = el('select', { id, name }, el('option', { value: '' }, '—'), el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
        else if (property.type === 'object' || property.type === 'array') input = el('textarea', { id, name, rows: 2, placeholder: 'JSON' });
        else input = el('input', { id, name, autocomplete: 'off', inputmode: property.type === 'number' || property.type === 'integer' ? 'decimal' : undefined });
        input.dataset.kind = property.enum ? 'enum' : property.type || 'string';
        return el('div', {}, label, input);
      });
      const payloadFromFields = (form) => {
        const payload = {};
        for (const input of form.querySelectorAll('[data-kind]')) {
          const text = input.value.trim();
          if (text === '') continue;
          const kind = input.dataset.kind;
          if (kind === 'enum' || kind === 'boolean' || kind === 'object' || kind === 'array') {
            try { payload[input.name] = JSON.parse(text); } catch { payload[input.name] = text; }
          } else if (kind === 'number' || kind === 'integer') {
            payload[input.name] = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
          } else {
            payload[input.name] = text;
          }
        }
        return payload;
      };
      const form = el('form', { class: 'panel signal-form', 'data-signal': node.signal, novalidate: true, onsubmit: async (event) => {
        event.preventDefault();
        let payload;
        if (rawBox.open && raw.value.trim() !== '') {
          try { payload = JSON.parse(raw.value); } catch (error) { replace(errors, el('li', {}, `The payload is not JSON: ${error.message}`)); return; }
        } else {
          payload = properties.length ? payloadFromFields(form) : null;
        }
        const problems = schemaErrors(node.schema, payload);
        if (problems.length) { replace(errors, problems.map((problem) => el('li', {}, problem))); return; }
        replace(errors);
        const button = form.querySelector('button');
        button.disabled = true;
        try {
          await api('POST', `/v1/runs/${encodeURIComponent(runID)}/signals/${encodeURIComponent(node.signal)}`, payload);
          replace(form, el('p', { class: 'sent' }, `Signal ${node.signal} sent.`));
          setTimeout(() => form.remove(), 1500);
        } catch (error) {
          replace(errors, problemLines(error).map((problem) => el('li', {}, problem)));
          button.disabled = false;
        }
      } },
        el('h2', {}, 'Waiting for signal ', el('span', { class: 'mono' }, node.signal)),
        el('p', { class: 'hint' }, `Step ${node.step} waits for it.`, node.schema ? ' The payload is checked against the step\'s schema here and again by the server.' : ''),
        fields, rawBox, errors,
        el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, `Send ${node.signal}`)));
      openForms.add(form);
      return form;
    }

    function alertIn(where, error) {
      where.append(el('p', { class: 'error', role: 'alert' }, error.message));
    }

    function addToTimeline(event) {
      const detail = event.step ? event.step : event.name || event.timer || event.workflow || '';
      const extra = event.error ? ` — ${event.error.type}: ${event.error.message}` : event.retry_at ? ` — retry at ${shortTime(event.retry_at)}` : '';
      timeline.append(el('li', { 'data-seq': event.seq },
        el('span', { class: 'seq' }, event.seq),
        el('span', { class: 'at' }, new Date(event.at).toLocaleTimeString()),
        el('span', {}, el('span', { class: `type ${event.type.endsWith('Failed') ? 'Failed' : ''}` }, event.type), ' ', el('span', { class: 'mono' }, detail), extra)));
    }

    async function refresh() {
      try {
        const [detail, graphJSON] = await Promise.all([
          api('GET', `/v1/runs/${encodeURIComponent(runID)}`),
          api('GET', `/v1/runs/${encodeURIComponent(runID)}/graph`),
        ]);
        run = detail;
        graph = graphJSON;
        if (!drawn) {
          drawn = true;
          replace(graphBox, svgNode(await apiText(`/v1/runs/${encodeURIComponent(runID)}/graph?format=svg`)));
          selectableNodes(graphBox, (step) => { selected = step; renderDetails(); });
        }
        colourGraph(graphBox, graph);
        renderHead();
        renderSignals();
        renderDetails();
      } catch (error) {
        if (!run) showError(error); else alertIn(head, error);
      }
    }

    await refresh();
    if (!run) return;
    const later = debounce(refresh, 60);
    const source = stream(`/v1/runs/${encodeURIComponent(runID)}/events`, {
      message: () => {},
      'llm.delta': (delta) => {
        reply.hidden = false;
        const text = reply.querySelector('pre');
        const label = `${delta.step} (attempt ${delta.attempt})`;
        if (text.dataset.step !== label) { text.dataset.step = label; text.textContent = ''; replace(reply.querySelector('h2'), `Reply of ${label}, as it streams`); }
        text.textContent += delta.text;
        text.scrollTop = text.scrollHeight;
      },
      end: (message) => {
        source.close();
        live.classList.remove('on');
        live.textContent = message && message.reason === 'finished' ? 'run finished' : `stream ended (${message ? message.reason : ''})`;
        if (message && message.reason !== 'finished') setTimeout(() => { if (location.hash === `#/runs/${encodeURIComponent(runID)}`) route(); }, 2000);
        refresh();
      },
    });
    // Stored events arrive as `event: <Type>`: one listener per type the history can hold.
    for (const type of ['RunStarted', 'StepScheduled', 'StepStarted', 'StepCompleted', 'StepFailed', 'StepCheckpointed', 'StepSuspended', 'StepSkipped', 'TimerStarted',
      'TimerFired', 'SignalReceived', 'SignalConsumed', 'CancelRequested', 'RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut']) {
      source.addEventListener(type, (message) => {
        const event = JSON.parse(message.data);
        if (events.length && events[events.length - 1].seq >= event.seq) return;
        events.push(event);
        addToTimeline(event);
        later();
      });
    }
  }

  // ---------- Workflows ----------

  /** Source with line numbers; line N has the id `${prefix}-line-N` and is marked by its diagnostics. */
  function numberedSource(prefix, source, diagnostics = []) {
    const flags = new Map();
    for (const diagnostic of diagnostics) {
      if (!flags.has(diagnostic.line) || diagnostic.severity === 'error') flags.set(diagnostic.line, diagnostic);
    }
    return el('pre', { class: 'source mono', tabindex: '0', 'aria-label': 'Source' }, source.replace(/\n$/, '').split('\n').map((line, index) => {
      const flag = flags.get(index + 1);
      return el('span', { class: `line${flag ? ` flag-${flag.severity}` : ''}`, id: `${prefix}-line-${index + 1}`, title: flag ? `${flag.rule}: ${flag.message}` : undefined }, line || ' ');
    }));
  }

  function validateBox(initial = '') {
    const source = el('textarea', { rows: 14, id: 'validate-source', spellcheck: 'false', 'aria-label': 'Workflow YAML' }, initial);
    const result = el('div', { id: 'validate-result', 'aria-live': 'polite' });
    return el('section', { class: 'panel' },
      el('h2', {}, 'Validate a workflow'),
      el('form', { onsubmit: async (event) => {
        event.preventDefault();
        try {
          const answer = await api('POST', '/v1/validate', { source: source.value, path: 'pasted.yaml' });
          const diagnostics = answer.files.flatMap((file) => file.diagnostics);
          replace(result,
            el('p', { class: answer.errors ? 'error' : '' }, answer.errors || answer.warnings ? `${answer.errors} error(s), ${answer.warnings} warning(s)` : 'No problems found.'),
            el('ul', { class: 'diagnostics' }, diagnostics.map((item) => el('li', { class: item.severity === 'error' ? 'error' : '' },
              el('a', { href: `#checked-line-${item.line}`, onclick: (click) => { click.preventDefault(); document.getElementById(`checked-line-${item.line}`)?.scrollIntoView({ block: 'center' }); } },
                `${item.line}:${item.column}`), ` ${item.severity} [${item.rule}] ${item.message}`))),
            numberedSource('checked', source.value, diagnostics));
        } catch (error) {
          showError(error, result);
        }
      } }, el('label', { for: 'validate-source' }, 'Paste YAML'), source,
        el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Validate'))),
      result);
  }

  async function viewWorkflows() {
    let answer;
    try {
      answer = await api('GET', '/v1/workflows');
    } catch (error) {
      showError(error);
      return;
    }
    replace(main, el('h1', {}, 'Workflows'),
      el('section', { class: 'panel' }, answer.workflows.length === 0
        ? el('p', { class: 'empty' }, 'No workflow is registered in this namespace (POST /v1/workflows registers one).')
        : el('div', { class: 'table-wrap' }, el('table', { id: 'workflows' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Version'), el('th', { class: 'optional' }, 'Hash'), el('th', { class: 'optional' }, 'Registered'))),
          el('tbody', {}, answer.workflows.map((workflow) => el('tr', {},
            el('td', {}, el('a', { href: `#/workflows/${encodeURIComponent(workflow.name)}` }, workflow.name)),
            el('td', {}, workflow.version),
            el('td', { class: 'optional mono' }, workflow.hash.slice(0, 19)),
            el('td', { class: 'optional' }, shortTime(workflow.registered_at)))))))),
      validateBox());
  }

  async function viewWorkflow(name, params) {
    const version = params.get('version');
    const path = `/v1/workflows/${encodeURIComponent(name)}`;
    let workflow;
    try {
      workflow = await api('GET', version ? `${path}?version=${encodeURIComponent(version)}` : path);
    } catch (error) {
      showError(error);
      return;
    }
    const graphBox = el('div', { class: 'graph' });
    const input = el('textarea', { rows: 4, id: 'start-input', spellcheck: 'false' }, '{}');
    const startResult = el('div', { role: 'status' });
    replace(main, el('h1', {}, 'Workflow ', el('span', { class: 'mono' }, workflow.name), ` v${workflow.version}`),
      el('div', { class: 'two-col' },
        el('section', { class: 'panel' }, el('h2', {}, 'Versions'),
          el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Version'), el('th', {}, 'Hash'), el('th', { class: 'optional' }, 'Registered'))),
            el('tbody', {}, workflow.versions.map((entry) => el('tr', { 'aria-current': entry.version === workflow.version ? 'true' : undefined },
              el('td', {}, el('a', { href: `#/workflows/${encodeURIComponent(name)}?version=${entry.version}` }, `v${entry.version}`)),
              el('td', { class: 'mono' }, entry.hash.slice(0, 19)),
              el('td', { class: 'optional' }, shortTime(entry.registered_at))))))),
        el('section', { class: 'panel' }, el('h2', {}, 'Start a run'),
          el('form', { onsubmit: async (event) => {
            event.preventDefault();
            let value;
            try { value = JSON.parse(input.value || '{}'); } catch (error) { replace(startResult, el('p', { class: 'error' }, `The input is not JSON: ${error.message}`)); return; }
            try {
              const started = await api('POST', '/v1/runs', { workflow: name, hash: workflow.hash, input: value });
              location.hash = `#/runs/${encodeURIComponent(started.id)}`;
            } catch (error) {
              replace(startResult, el('ul', { class: 'error' }, problemLines(error).map((item) => el('li', {}, item))));
            }
          } }, el('label', { for: 'start-input' }, 'Input (JSON)'), input,
            el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Start')), startResult))),
      el('section', { class: 'panel' }, el('h2', {}, 'Graph'), graphBox),
      el('section', { class: 'panel' }, el('h2', {}, 'Source'), numberedSource('source', workflow.source || '')),
      validateBox(workflow.source || ''));
    apiText(`${path}/graph?format=svg&version=${workflow.version}`).then((svg) => replace(graphBox, svgNode(svg))).catch((error) => showError(error, graphBox));
  }

  // ---------- Routing ----------

  async function route() {
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
    live.textContent = '';
    live.classList.remove('on');
    const [path, query] = location.hash.replace(/^#/, '').split('?');
    const params = new URLSearchParams(query || '');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const section = parts[0] || 'runs';
    for (const link of document.querySelectorAll('nav a')) {
      if (link.dataset.section === section) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    replace(main, el('p', { class: 'hint' }, 'Loading…'));
    try {
      if (section === 'runs' && parts[1]) { document.title = `Run ${parts[1]} · Apex`; await viewRun(parts[1]); }
      else if (section === 'workflows' && parts[1]) { document.title = `${parts[1]} · Apex`; await viewWorkflow(parts[1], params); }
      else if (section === 'workflows') { document.title = 'Workflows · Apex'; await viewWorkflows(); }
      else { document.title = 'Runs · Apex'; await viewRuns(params); }
    } catch (error) {
      showError(error);
    }
  }

  document.getElementById('search').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = document.getElementById('search-id').value.trim();
    if (id) location.hash = `#/runs/${encodeURIComponent(id)}`;
  });
  window.addEventListener('hashchange', route);
  route();
})();
