// The analyst dashboard (role ANALYST: /api/analytics, charts with uPlot) and the auditor console (role AUDITOR:
// /api/audit). Loaded on first use only, so chat users never download them.
import {h, fileSize} from './dom.js';

let uplotLoaded = null;
function loadUplot() {
    if (!uplotLoaded) {
        uplotLoaded = new Promise((resolve, reject) => {
            document.head.append(h('link', {rel: 'stylesheet', href: '/webjars/uplot/dist/uPlot.min.css'}));
            const s = h('script', {src: '/webjars/uplot/dist/uPlot.iife.min.js'});
            s.onload = () => resolve(window.uPlot);
            s.onerror = () => { uplotLoaded = null; reject(new Error('the chart library did not load')); };
            document.head.append(s);
        });
    }
    return uplotLoaded;
}

const RANGES = {'1h': [3600e3, '30s'], '24h': [86400e3, '15m'], '7d': [7 * 86400e3, '1h'], '30d': [30 * 86400e3, '1d']};

export function analytics(view, close, {api, toast}) {
    const range = h('select', {id: 'range', 'aria-label': 'Time range'}, ...Object.keys(RANGES).map((k) => h('option', {value: k, selected: k === '24h'}, 'Last ' + k)));
    const lag = h('span.sub', {id: 'lag'});
    const volume = h('div', {id: 'volume-chart', class: 'chart'});
    const senders = h('div', {id: 'senders-chart', class: 'chart'});
    const top = h('div', {id: 'top-conversations'});
    const mix = h('div', {id: 'media-mix'});
    const latency = h('div', {id: 'receipt-latency'});
    const refresh = h('button.primary', {type: 'button', id: 'analytics-refresh', onclick: () => load()}, 'Refresh');
    view.replaceChildren(
        h('header.bar', {}, close, h('h2', {}, 'Analytics'), range, refresh, lag),
        h('div.panel-grid', {},
            h('section.panel', {}, h('h3', {}, 'Messages'), volume),
            h('section.panel', {}, h('h3', {}, 'Active senders'), senders),
            h('section.panel', {}, h('h3', {}, 'Top conversations'), top),
            h('section.panel', {}, h('h3', {}, 'Media mix'), mix),
            h('section.panel', {}, h('h3', {}, 'Receipt latency'), latency)));
    range.onchange = () => load();

    async function load() {
        const [span, interval] = RANGES[range.value];
        const to = new Date(Date.now() + 60000);
        const from = new Date(to.getTime() - span);
        const q = 'from=' + from.toISOString() + '&to=' + to.toISOString();
        try {
            const [uPlot, vol, tops, media, lat] = await Promise.all([loadUplot(),
                api('GET', '/api/analytics/volume?' + q + '&interval=' + interval),
                api('GET', '/api/analytics/conversations/top?' + q + '&limit=10'),
                api('GET', '/api/analytics/media-mix?' + q),
                api('GET', '/api/analytics/receipt-latency?' + q)]);
            lag.textContent = vol.lagEvents ? 'projection lag: ' + vol.lagEvents + ' events, ' + Math.round(vol.lagMs / 1000) + ' s' : 'projection up to date';
            const xs = vol.buckets.map((b) => new Date(b.start).getTime() / 1000);
            chart(uPlot, volume, 'Messages', xs, vol.buckets.map((b) => b.messages), '#008069');
            chart(uPlot, senders, 'Active senders', xs, vol.buckets.map((b) => b.activeSenders), '#027eb5');
            top.replaceChildren(table(['Conversation', 'Messages', 'Senders'], tops.conversations.map((c) => [c.conversationId.slice(0, 8) + '…', c.messages, c.activeSenders])));
            mix.replaceChildren(h('p.sub', {}, media.messages + ' messages'),
                table(['Type', 'Messages', 'Share', 'Bytes'], media.types.map((t) => [t.type, t.messages, Math.round(t.share * 100) + ' %', fileSize(t.bytes)])));
            const ms = (v) => v >= 10000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms';
            const p = (x) => x && x.count ? [x.count, ms(x.p50), ms(x.p90), ms(x.p99)] : [0, '–', '–', '–'];
            latency.replaceChildren(table(['', 'Count', 'p50', 'p90', 'p99'], [['Delivered', ...p(lat.deliveredMs)], ['Read', ...p(lat.readMs)]]));
        } catch (e) {
            toast('Analytics: ' + e.message, load);
        }
    }
    load();
}

function chart(uPlot, el, label, xs, ys, stroke) {
    el.replaceChildren();
    const width = Math.max(280, el.clientWidth || 320);
    new uPlot({width, height: 200, series: [{}, {label, stroke, fill: stroke + '22', width: 2}], axes: [{}, {size: 40}], legend: {show: true}},
        [xs, ys], el);
}

function table(head, rows) {
    return h('table', {}, h('thead', {}, h('tr', {}, ...head.map((x) => h('th', {scope: 'col'}, x)))),
        h('tbody', {}, ...(rows.length ? rows.map((r) => h('tr', {}, ...r.map((x) => h('td', {}, String(x)))))
            : [h('tr', {}, h('td', {colspan: head.length}, 'Nothing in this range'))])));
}

export function audit(view, close, {api, toast}) {
    const field = (label, id, attrs = {}) => h('label', {}, label, h('input', {id, ...attrs}));
    const filters = h('form.filters', {onsubmit: (e) => { e.preventDefault(); cursors = [null]; page(); }},
        field('Conversation id', 'audit-conversation', {size: 36}), field('User id', 'audit-user', {size: 36}),
        field('Types (comma list)', 'audit-types', {placeholder: 'MessageSent,MemberAdded'}),
        field('From', 'audit-from', {type: 'datetime-local'}), field('To', 'audit-to', {type: 'datetime-local'}),
        h('button.primary', {type: 'submit', id: 'audit-search'}, 'Show events'),
        h('button.link', {type: 'button', id: 'audit-export', onclick: () => exportAll()}, 'Export NDJSON'),
        h('span.sub', {id: 'audit-export-status', 'aria-live': 'polite'}));
    const rows = h('div', {id: 'audit-events'});
    const pager = h('div.row', {id: 'audit-pager'});
    const verdict = h('p', {id: 'audit-verify'});
    const stateAt = h('input', {id: 'state-at', type: 'datetime-local', 'aria-label': 'Instant'});
    const stateOut = h('div', {id: 'audit-state'});
    view.replaceChildren(h('header.bar', {}, close, h('h2', {}, 'Audit')), filters,
        h('div.panel-grid', {},
            h('section.panel', {style: 'grid-column: 1 / -1'}, h('h3', {}, 'Events'), rows, pager),
            h('section.panel', {}, h('h3', {}, 'Chain verification'), verdict, h('button.primary', {type: 'button', id: 'audit-verify-again', onclick: () => verify()}, 'Verify again')),
            h('section.panel', {}, h('h3', {}, 'A conversation at an instant'), h('div.row', {}, stateAt,
                h('button.primary', {type: 'button', id: 'audit-state-button', onclick: () => state()}, 'Show')), stateOut)));
    let cursors = [null];
    const val = (id) => view.querySelector('#' + id).value.trim();
    const iso = (id) => val(id) ? new Date(val(id)).toISOString() : '';
    const query = () => {
        const p = new URLSearchParams();
        if (val('audit-conversation')) p.set('conversationId', val('audit-conversation'));
        if (val('audit-user')) p.set('userId', val('audit-user'));
        if (val('audit-types')) p.set('types', val('audit-types'));
        if (iso('audit-from')) p.set('from', iso('audit-from'));
        if (iso('audit-to')) p.set('to', iso('audit-to'));
        return p;
    };
    async function page() {
        const p = query();
        p.set('limit', '50');
        const cursor = cursors[cursors.length - 1];
        if (cursor) p.set('after', cursor);
        try {
            const answer = await api('GET', '/api/audit/events?' + p);
            rows.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, ...['#', 'Time', 'Type', 'Aggregate', 'Actor', 'Payload'].map((x) => h('th', {}, x)))),
                h('tbody', {}, ...answer.events.map((e) => h('tr', {}, h('td', {}, String(e.position)), h('td', {}, new Date(e.timestamp).toLocaleString()),
                    h('td', {}, e.type), h('td', {}, (e.aggregateId || '').slice(0, 8) + ' #' + e.aggregateSeq), h('td', {}, (e.actorId || '').slice(0, 8)),
                    h('td', {}, h('pre.payload', {}, JSON.stringify(e.payload, null, 1))))))));
            pager.replaceChildren(h('span.sub', {id: 'audit-page'}, 'Page ' + cursors.length + ' · ' + answer.events.length + ' events'),
                cursors.length > 1 && h('button.link', {type: 'button', onclick: () => { cursors.pop(); page(); }}, '← Previous'),
                answer.nextCursor && h('button.link', {type: 'button', id: 'audit-next', onclick: () => { cursors.push(answer.nextCursor); page(); }}, 'Next →'));
        } catch (e) {
            toast('Audit: ' + e.message, page);
        }
    }
    async function verify() {
        verdict.textContent = 'Verifying…';
        try {
            const v = await api('GET', '/api/audit/verify');
            verdict.replaceChildren(h('span.verdict.' + (v.verified ? 'ok' : 'bad'), {}, v.verified ? '✓ Chain intact' : '✗ ' + v.problem + ' at position ' + v.firstBrokenPosition),
                h('br'), h('span.sub', {}, v.events + ' events, head ' + (v.head || '').slice(0, 16) + '…' + (v.pending ? ', ' + v.pending + ' pending' : '')));
        } catch (e) {
            verdict.textContent = '';
            toast('Verify: ' + e.message, verify);
        }
    }
    async function state() {
        const id = val('audit-conversation');
        if (!id) { toast('Enter a conversation id in the filters first'); return; }
        const at = iso('state-at');
        try {
            const s = await api('GET', '/api/audit/conversations/' + id + '/state' + (at ? '?at=' + at : ''));
            stateOut.replaceChildren(h('p', {}, (s.title || s.type) + ', ' + s.members.length + ' members, ' + s.messages.length + ' messages as of ' + new Date(s.asOf).toLocaleString()),
                h('pre.payload', {}, s.messages.slice(-20).map((m) => '#' + m.seq + ' ' + (m.deleted ? '(deleted)' : m.text || m.type)).join('\n')));
        } catch (e) {
            toast('State: ' + e.message);
        }
    }
    async function exportAll() {
        const status = view.querySelector('#audit-export-status');
        status.textContent = 'Exporting…';
        try {
            const {freshToken} = await import('./session.js');
            const response = await fetch('/api/audit/export?' + query(), {headers: {Authorization: 'Bearer ' + await freshToken()}});
            if (!response.ok) throw new Error('HTTP ' + response.status);
            const blob = await response.blob();
            const lines = (await blob.text()).split('\n').filter(Boolean).length;
            status.textContent = 'Exported ' + lines + ' events';
            const a = h('a', {href: URL.createObjectURL(blob), download: 'audit.ndjson'});
            document.body.append(a);
            a.click();
            a.remove();
        } catch (e) {
            status.textContent = '';
            toast('Export: ' + e.message, exportAll);
        }
    }
    page();
    verify();
}
