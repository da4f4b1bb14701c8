// The gateway's dashboard: tiles, a latency chart (uPlot), recent requests and a prompt box.
// Plain browser JavaScript, no build. Live updates arrive as Server-Sent Events (GET /v1/events), read with
// fetch so that an API key can travel in a header; when the stream is unavailable the page polls /v1/stats.
(() => {
  const KEY_STORAGE = 'prompt-cache-gateway-key';
  const MAX_ROWS = 50;
  const MAX_POINTS = 400;
  const $ = (id) => document.getElementById(id);

  const state = {
    key: sessionStorage.getItem(KEY_STORAGE) || '',
    plot: null,
    points: [[], [], []],
    stream: null,
    pollTimer: null,
  };

  // ---- HTTP -------------------------------------------------------------------------------------------
  function api(path, init = {}) {
    const headers = new Headers(init.headers || {});
    if (state.key) headers.set('authorization', `Bearer ${state.key}`);
    return fetch(path, { ...init, headers });
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      return body.message || `${response.status} ${response.statusText}`;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  // ---- formatting -------------------------------------------------------------------------------------
  const number = new Intl.NumberFormat('en-US');
  // The CLI's units (apps/cli/src/output/format.ts): USD with 7 decimals below a cent, KB and MB of 1024 bytes.
  function usd(value) {
    if (!value) return '$0';
    const digits = Math.abs(value) >= 1 ? 2 : Math.abs(value) >= 0.01 ? 4 : 7;
    return `$${value.toFixed(digits)}`;
  }
  function ms(value) {
    if (value === null || value === undefined) return '–';
    if (value < 1) return `${value.toFixed(2)} ms`;
    if (value < 1000) return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
    return `${(value / 1000).toFixed(2)} s`;
  }
  function bytes(value) {
    if (value === null || value === undefined) return 'size unknown';
    if (value < 1024) return `${value} B`;
    return value < 1048576 ? `${(value / 1024).toFixed(1)} KB` : `${(value / 1048576).toFixed(1)} MB`;
  }
  function time(epochMs) {
    return new Date(epochMs).toLocaleTimeString([], { hour12: false });
  }
  function setText(id, text) {
    const element = $(id);
    if (element.textContent !== text) element.textContent = text;
  }

  // ---- tiles ------------------------------------------------------------------------------------------
  function renderStats(stats) {
    setText('tile-hit-rate', `${(stats.hitRate * 100).toFixed(1)}%`);
    setText('tile-hits', `${number.format(stats.hits)} hits · ${number.format(stats.misses)} misses`);
    // Semantic hits are counted in the hits too: answered by the entry of a paraphrase.
    const semanticOff = stats.semanticIndexed === null || stats.semanticIndexed === undefined;
    setText('tile-semantic', semanticOff ? 'off' : number.format(stats.semanticHits));
    setText(
      'tile-similarity',
      semanticOff
        ? 'start the gateway with --semantic'
        : `${stats.semanticHits ? `mean similarity ${stats.semanticSimilarity.toFixed(2)} · ` : ''}${number.format(stats.semanticIndexed)} ${stats.semanticIndexed === 1 ? 'prompt' : 'prompts'} indexed`,
    );
    setText('tile-rps', stats.requestsPerSecond.toFixed(1));
    setText('tile-usd', usd(stats.savedUsd));
    setText('tile-spent', `${usd(stats.spentUsd)} spent on misses`);
    setText('tile-tokens', number.format(stats.savedTokens));
    setText('tile-time', `${(stats.savedMs / 1000).toFixed(1)} s of waiting saved`);
    setText('tile-entries', stats.entries === null ? '–' : number.format(stats.entries));
    setText('tile-bytes', stats.bytes === null ? bytes(null) : `${bytes(stats.bytes)} of cached values`);
    const notStored = Object.entries(stats.notStored || {});
    setText(
      'tile-not-stored',
      notStored.length === 0
        ? 'every answer stored'
        : `not stored: ${notStored.map(([reason, count]) => `${reason} ${number.format(count)}`).join(', ')}`,
    );
    // Exact while the sample is small; estimated from histogram buckets (within about 9%) after that.
    const shown = (summary) => (summary.exact ? '' : '≈');
    setText('tile-p50', `${shown(stats.latency.hit)}${ms(stats.latency.hit.p50)}`);
    setText(
      'tile-p95',
      `misses: ${shown(stats.latency.miss)}${ms(stats.latency.miss.p50)} · hits p95 ${shown(stats.latency.hit)}${ms(stats.latency.hit.p95)}`,
    );
    $('tile-p50').title = stats.latency.hit.exact
      ? 'exact: computed from every sample'
      : 'estimated from histogram buckets (within about 9%)';
    setText('upstream', `upstream: ${stats.upstream}`);
    const storeState = stats.storeState || { state: 'unknown', errors: 0, message: null };
    setText(
      'store',
      storeState.state === 'unreachable'
        ? `${stats.store} · unreachable · ${number.format(storeState.errors)} errors`
        : stats.store,
    );
    $('store').className = `badge state-${storeState.state}`;
    $('store').title = storeState.message || 'where answers are cached';
    setText('scope', stats.scope === 'all' ? 'all namespaces' : `namespace ${stats.scope}`);
  }

  // ---- recent requests --------------------------------------------------------------------------------
  function addRow(record) {
    const body = $('recent');
    const row = document.createElement('tr');
    row.className = record.status;
    const saved =
      record.status === 'hit'
        ? `${usd(record.savedUsd)} · ${number.format(record.savedTokens)} tok`
        : record.status === 'error'
          ? record.errorType || 'error'
          : '–';
    const semantic = record.similarity !== undefined;
    const cache = semantic
      ? `semantic-hit ${record.similarity.toFixed(2)}`
      : record.notStored
        ? `${record.status} · not stored: ${record.notStored}`
        : record.status;
    const cells = [
      ['time', time(record.at)],
      ['operation', record.operation],
      ['model', record.model],
      ['namespace', record.namespace],
      ['cache', cache],
      ['num', ms(record.latencyMs)],
      ['num', saved],
    ];
    for (const [className, text] of cells) {
      const cell = document.createElement('td');
      cell.className = className;
      cell.textContent = text;
      if (className === 'model') cell.title = text;
      if (className === 'cache' && semantic && record.matchedPrompt !== undefined) {
        // The cached prompt whose answer was served: what a reviewer checks a semantic hit against.
        const matched = document.createElement('div');
        matched.className = 'matched';
        matched.textContent = `answered as: ${record.matchedPrompt}`;
        matched.title = record.matchedPrompt;
        cell.appendChild(matched);
      }
      row.appendChild(cell);
    }
    body.insertBefore(row, body.firstChild);
    while (body.children.length > MAX_ROWS) body.removeChild(body.lastChild);
    $('recent-empty').hidden = true;
  }

  // ---- chart ------------------------------------------------------------------------------------------
  function chartSize() {
    const width = Math.max(280, $('chart').clientWidth);
    return { width, height: 300 };
  }

  function createChart() {
    if (typeof uPlot === 'undefined') {
      setText('chart', 'The chart library did not load.');
      return;
    }
    const points = (stroke) => ({ show: true, size: 7, stroke, fill: stroke });
    state.plot = new uPlot(
      {
        ...chartSize(),
        scales: { x: { time: true }, y: { distr: 3, log: 10 } },
        axes: [
          {},
          {
            label: 'ms',
            values: (_plot, ticks) =>
              ticks.map((tick) => (tick == null ? '' : tick < 1 ? tick.toPrecision(1) : number.format(tick))),
          },
        ],
        series: [
          {},
          {
            label: 'hit',
            stroke: '#1a9a5a',
            width: 0,
            paths: () => null,
            points: points('#1a9a5a'),
            value: (_plot, v) => ms(v),
          },
          {
            label: 'miss',
            stroke: '#d9822b',
            width: 0,
            paths: () => null,
            points: points('#d9822b'),
            value: (_plot, v) => ms(v),
          },
        ],
        legend: { live: true },
      },
      state.points,
      $('chart'),
    );
    window.addEventListener('resize', () => state.plot?.setSize(chartSize()));
  }

  function addPoint(record, redraw = true) {
    if (record.status !== 'hit' && record.status !== 'miss') return;
    const [xs, hits, misses] = state.points;
    const latency = Math.max(record.latencyMs, 0.001);
    xs.push(record.at / 1000);
    hits.push(record.status === 'hit' ? latency : null);
    misses.push(record.status === 'miss' ? latency : null);
    if (xs.length > MAX_POINTS) for (const series of state.points) series.shift();
    if (redraw) state.plot?.setData(state.points);
  }

  // ---- live updates -----------------------------------------------------------------------------------
  function setConnection(mode) {
    const badge = $('connection');
    badge.className = `badge state-${mode}`;
    badge.textContent = mode === 'live' ? 'live' : mode === 'polling' ? 'polling' : mode;
  }

  function handleEvent(name, data) {
    if (name === 'hello') {
      renderStats(data.stats);
      $('recent').replaceChildren();
      state.points = [[], [], []];
      for (const record of data.recent) {
        addRow(record);
        addPoint(record, false);
      }
      state.plot?.setData(state.points);
    } else if (name === 'request') {
      addRow(data);
      addPoint(data);
    } else if (name === 'stats') {
      renderStats(data);
    }
  }

  async function readStream() {
    const controller = new AbortController();
    state.stream = controller;
    const response = await api('/v1/events', {
      signal: controller.signal,
      headers: { accept: 'text/event-stream' },
    });
    if (!response.ok || !response.body) throw new Error(await errorMessage(response));
    setConnection('live');
    stopPolling();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length > 0) handleEvent(name, JSON.parse(data.join('\n')));
        end = buffer.indexOf('\n\n');
      }
    }
  }

  function live() {
    readStream()
      .catch(() => undefined)
      .finally(() => {
        setConnection('polling');
        startPolling();
        setTimeout(live, 3000);
      });
  }

  async function poll() {
    const response = await api('/v1/stats');
    if (response.ok) renderStats(await response.json());
  }
  function startPolling() {
    state.pollTimer ??= setInterval(() => poll().catch(() => setConnection('offline')), 2000);
  }
  function stopPolling() {
    if (state.pollTimer) clearInterval(state.pollTimer);
    state.pollTimer = null;
  }

  // ---- try a prompt -----------------------------------------------------------------------------------
  async function ask(event) {
    event.preventDefault();
    const prompt = $('ask-prompt').value;
    const model = $('ask-model').value.trim();
    const button = $('ask-button');
    button.disabled = true;
    setText('ask-error', '');
    try {
      const response = await api('/v1/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(model ? { prompt, model } : { prompt }),
      });
      if (!response.ok) throw new Error(await errorMessage(response));
      const result = await response.json();
      const status = $('ask-status');
      const cache = result.cache || result.status;
      status.className = `status ${cache}`;
      status.textContent = cache === 'semantic-hit' ? `semantic hit ${result.similarity.toFixed(2)}` : cache;
      const matched = $('ask-matched');
      matched.hidden = cache !== 'semantic-hit';
      setText('ask-matched', cache === 'semantic-hit' ? `answered as: ${result.matchedPrompt}` : '');
      const cost = result.cached
        ? `saved ${usd(result.savedUsd)}`
        : result.costUsd === null
          ? 'price unknown'
          : `cost ${usd(result.costUsd)}`;
      setText('ask-meta', `${ms(result.latencyMs)} · ${cost} · ${result.model} · ${result.provider}`);
      setText('ask-text', result.text);
      $('ask-result').hidden = false;
      if (!state.stream || state.stream.signal.aborted) await poll();
    } catch (error) {
      setText('ask-error', error.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- start ------------------------------------------------------------------------------------------
  async function start() {
    const response = await api('/v1/stats');
    if (response.status === 401 || response.status === 403) {
      $('key-panel').hidden = false;
      $('main').hidden = true;
      if (state.key) setText('key-error', await errorMessage(response));
      setConnection('offline');
      return;
    }
    if (!response.ok) throw new Error(await errorMessage(response));
    $('key-panel').hidden = true;
    $('main').hidden = false;
    if (!state.plot) createChart();
    renderStats(await response.json());
    live();
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.key = $('key-input').value.trim();
    sessionStorage.setItem(KEY_STORAGE, state.key);
    start().catch((error) => setText('key-error', error.message));
  });
  $('ask-form').addEventListener('submit', ask);
  start().catch(() => setConnection('offline'));
})();
