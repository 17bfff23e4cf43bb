// Parley web client: plain ES modules over the documented API (REST + STOMP over WebSocket).
// The server is the source of truth. Every conversation has one "held" seq: the highest change this client has
// applied. Live frames are a fast path: one at or below held is a duplicate and dropped, one past held + 1 shows
// a gap and triggers a sync, and every (re)connect syncs from the held seqs (POST /api/sync), so nothing is
// missed and nothing is shown twice.
import {h, $, avatar, hue, time, dayLabel, shortWhen, fileSize, MEDIA_ICON, MEDIA_WORD, highlighted} from './dom.js';
import * as session from './session.js';

const root = document.getElementById('root');
const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
const EDIT_WINDOW = 15 * 60 * 1000;
const DELETE_WINDOW = 48 * 3600 * 1000;

const S = {
    me: null,
    names: new Map(),          // userId -> {displayName, handle}
    conversations: new Map(),  // id -> {id, type, title, lastMessage, unreadCount, lastActivityAt, muted, lastSeq, removed, members, held, watermarks}
    timelines: new Map(),      // id -> {entries: Map seq -> entry, hasMoreBefore, loadingOlder, newWhileAway, firstUnread}
    active: null,
    outbox: [],                // unsent messages (persisted): {clientMessageId, conversationId, text, replyTo, mediaId, media, state, error}
    drafts: {},
    typing: new Map(),         // conversationId -> Map userId -> timer
    presence: new Map(),       // userId -> {online, lastSeenAt}
    reply: null,               // seq replied to in the active chat
    editing: null,             // seq being edited
    connection: 'connecting',
    client: null,
    search: null,              // {q, hits} while the sidebar shows search results
    view: 'chats',             // chats | analytics | audit
};

// ------------------------------------------------------------------ errors: always shown, always dismissable

function toast(message, retry) {
    const box = $('#toasts');
    if (!box) return;
    const close = () => item.remove();
    const item = h('div.toast', {role: 'alert'},
        h('span', {}, message),
        retry && h('button.link', {type: 'button', onclick: () => { close(); retry(); }}, 'Retry'),
        h('button.icon', {type: 'button', 'aria-label': 'Dismiss', onclick: close}, '✕'));
    box.append(item);
    setTimeout(close, retry ? 20000 : 10000);
}

function failed(what, e, retry) {
    if (e instanceof session.SessionEnded) { endSession(e.message); return; }
    toast(what + ': ' + (e && e.message ? e.message : String(e)), retry);
}

// ------------------------------------------------------------------ sign-in

function renderAuth(message) {
    document.title = 'Parley';
    let mode = 'sign-in';
    const error = h('p.error', {id: 'auth-error', role: 'alert'});
    const showError = (text) => {
        error.replaceChildren(text ? h('span', {}, text) : '',
            text ? h('button.icon', {type: 'button', 'aria-label': 'Dismiss', onclick: () => showError('')}, '✕') : '');
    };
    const nameRow = h('label.field', {hidden: true}, 'Display name', h('input', {id: 'display-name', autocomplete: 'name', maxlength: 64}));
    const submit = h('button.primary', {id: 'sign-in-button', type: 'submit'}, 'Sign in');
    const toggle = h('button.link', {id: 'sign-up-button', type: 'button', onclick: () => {
        mode = mode === 'sign-in' ? 'sign-up' : 'sign-in';
        nameRow.hidden = mode === 'sign-in';
        submit.textContent = mode === 'sign-in' ? 'Sign in' : 'Create account';
        toggle.textContent = mode === 'sign-in' ? 'New here? Create an account' : 'Have an account? Sign in';
        showError('');
    }}, 'New here? Create an account');
    const form = h('form.card', {id: 'sign-in', onsubmit: async (ev) => {
        ev.preventDefault();
        showError('');
        submit.disabled = true;
        const handle = $('#handle').value.trim().toLowerCase();
        const password = $('#password').value;
        try {
            if (mode === 'sign-up') await session.signUp(handle, $('#display-name').value.trim() || handle, password);
            else await session.signIn(handle, password);
            await boot();
        } catch (e) {
            showError(e.message || String(e));
        } finally {
            submit.disabled = false;
        }
    }},
        h('h1', {}, h('span.logo', {'aria-hidden': 'true'}, '💬'), ' Parley'),
        h('label.field', {}, 'Handle', h('input', {id: 'handle', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false'})),
        nameRow,
        h('label.field', {}, 'Password', h('input', {id: 'password', type: 'password', autocomplete: 'current-password', required: true})),
        submit, toggle, error);
    root.replaceChildren(h('main.auth', {}, form));
    if (message) showError(message);
    $('#handle').focus();
}

// ------------------------------------------------------------------ boot

async function boot() {
    S.me = await session.api('GET', '/api/me');
    S.names.set(S.me.id, {displayName: S.me.displayName, handle: S.me.handle});
    S.outbox = loadJson('parley.outbox.' + S.me.id, []).map((m) => ({...m, state: m.mediaId || !m.file ? (m.state === 'failed' ? 'failed' : 'pending') : 'failed'}));
    S.drafts = loadJson('parley.drafts.' + S.me.id, {});
    renderShell();
    mediaWorker();
    await loadInbox();
    connect();
}

function loadJson(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch { return fallback; }
}

function saveOutbox() {
    localStorage.setItem('parley.outbox.' + S.me.id, JSON.stringify(S.outbox.map(({file, progress, ...rest}) => rest)));
}

function saveDrafts() {
    localStorage.setItem('parley.drafts.' + S.me.id, JSON.stringify(S.drafts));
}

function endSession(message) {
    if (S.client) S.client.deactivate();
    S.client = null;
    S.conversations.clear();
    S.timelines.clear();
    S.presence.clear();
    S.typing.clear();
    S.search = null;
    S.searchScope = null;
    inFlight.clear();
    S.active = null;
    renderAuth(message);
}

async function signOut() {
    if (S.me) {
        localStorage.removeItem('parley.outbox.' + S.me.id);
        localStorage.removeItem('parley.drafts.' + S.me.id);
    }
    if (S.client) await S.client.deactivate();
    S.client = null;
    await session.signOut();
    location.hash = '';
    endSession();
}

session.onTokens((tokens) => {
    if (!tokens) { if (S.me) endSession('You were signed out'); return; }
    // the live session is renewed with the new token, else the server closes it when the old one expires
    if (S.client && S.client.connected) publish('/app/session.token', {accessToken: tokens.accessToken});
});

// ------------------------------------------------------------------ names and members

const pendingNames = new Map();

function nameOf(userId) {
    if (userId === S.me.id) return 'You';
    const known = S.names.get(userId);
    if (known) return known.displayName;
    if (!pendingNames.has(userId)) {
        pendingNames.set(userId, session.api('GET', '/api/users/' + userId).then((p) => {
            S.names.set(userId, {displayName: p.displayName, handle: p.handle});
            scheduleRender();
        }).catch(() => {}));
    }
    return '…';
}

function titleOf(c) {
    if (!c) return '';
    if (c.type === 'DIRECT') {
        const peer = peerOf(c);
        return peer ? nameOf(peer) : 'Direct chat';
    }
    return c.title || 'Group';
}

function peerOf(c) {
    const other = (c.members || []).find((m) => m.userId !== S.me.id);
    return other && other.userId;
}

let renderQueued = false;
function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
        renderQueued = false;
        renderInbox();
        renderHeader();
        if (S.active) renderTimeline('keep');
    });
}

// ------------------------------------------------------------------ shell

function renderShell() {
    const roleLinks = [];
    if ((S.me.roles || []).includes('ANALYST')) roleLinks.push(h('button.menuitem', {type: 'button', id: 'open-analytics', onclick: () => openView('analytics')}, '📊 Analytics'));
    if ((S.me.roles || []).includes('AUDITOR')) roleLinks.push(h('button.menuitem', {type: 'button', id: 'open-audit', onclick: () => openView('audit')}, '🔎 Audit'));
    const menu = h('div.menu', {id: 'main-menu', hidden: true, role: 'menu'},
        h('button.menuitem', {type: 'button', id: 'new-group-button', onclick: () => { menu.hidden = true; newGroupDialog(); }}, '👥 New group'),
        ...roleLinks,
        h('button.menuitem', {type: 'button', onclick: () => { menu.hidden = true; privacyDialog(); }}, '🔒 Privacy'),
        'Notification' in window && h('button.menuitem', {type: 'button', onclick: () => { menu.hidden = true; Notification.requestPermission(); }}, '🔔 Notifications'),
        h('button.menuitem', {type: 'button', id: 'sign-out-button', onclick: () => signOut()}, '↩ Sign out'));
    const sidebar = h('aside.sidebar', {'aria-label': 'Chats'},
        h('header.bar', {},
            avatar(S.me.displayName, S.me.id),
            h('div.who', {}, h('strong', {id: 'me'}, S.me.displayName), h('span.sub', {}, '@' + S.me.handle)),
            h('span.status', {id: 'connection', 'aria-live': 'polite'}, 'connecting'),
            h('button.icon', {type: 'button', id: 'new-chat-button', 'aria-label': 'New chat', title: 'New chat', onclick: () => newChatDialog()}, '✎'),
            h('button.icon', {type: 'button', id: 'menu-button', 'aria-label': 'Menu', 'aria-haspopup': 'menu', onclick: (e) => { e.stopPropagation(); menu.hidden = !menu.hidden; if (!menu.hidden) menu.querySelector('button').focus(); }}, '⋮'),
            menu),
        h('form.searchbar', {role: 'search', onsubmit: (e) => { e.preventDefault(); runSearch($('#search').value); }},
            h('input', {id: 'search', type: 'search', placeholder: 'Search messages', 'aria-label': 'Search messages in all chats',
                oninput: debounce((e) => runSearch(e.target.value), 350)})),
        h('ul.inbox', {id: 'conversations', 'aria-label': 'Conversations'}));
    const chat = h('section.chat', {id: 'conversation', 'aria-label': 'Conversation'},
        h('div.empty', {}, h('p', {}, 'Pick a chat, or start one with ✎')));
    root.replaceChildren(h('div.app', {id: 'app'}, sidebar, chat, h('section.view', {id: 'view', hidden: true})), h('div.toasts', {id: 'toasts', 'aria-live': 'assertive'}));
    setConnection(S.connection);
}

document.addEventListener('click', (e) => {
    const menu = $('#main-menu');
    if (menu && !menu.contains(e.target)) menu.hidden = true;
    closeMessageMenu(e);
});

// the inbox and search results: arrow keys move between rows
document.addEventListener('keydown', (e) => {
    if ((e.key !== 'ArrowDown' && e.key !== 'ArrowUp') || !e.target.closest || !e.target.closest('#conversations')) return;
    const rows = [...document.querySelectorAll('#conversations button.conv')];
    const i = rows.indexOf(e.target);
    if (i < 0) return;
    e.preventDefault();
    const next = rows[e.key === 'ArrowDown' ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1)];
    next.focus();
});

function debounce(fn, ms) {
    let t;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

function setConnection(state) {
    S.connection = state;
    const el = $('#connection');
    if (el) { el.textContent = state; el.dataset.state = state; }
}

// ------------------------------------------------------------------ inbox

async function loadInbox() {
    let list;
    try {
        list = await session.api('GET', '/api/conversations');
    } catch (e) {
        failed('Could not load your chats', e, loadInbox);
        return;
    }
    const needsSync = [];
    for (const entry of list) {
        const c = S.conversations.get(entry.id);
        if (!c) {
            S.conversations.set(entry.id, {...entry, held: entry.lastSeq, watermarks: new Map(), members: null});
            continue;
        }
        // the server saw changes this client has not applied: a loaded timeline fetches them in order
        if (entry.lastSeq > c.held && S.timelines.has(entry.id)) needsSync.push(entry.id);
        Object.assign(c, {title: entry.title, muted: entry.muted, removed: entry.removed});
        if (entry.lastSeq >= c.held) Object.assign(c, {lastMessage: entry.lastMessage, lastActivityAt: entry.lastActivityAt,
            unreadCount: entry.id === S.active && visible() ? 0 : entry.unreadCount});
        if (!S.timelines.has(entry.id)) c.held = Math.max(c.held, entry.lastSeq);
    }
    await Promise.all([...S.conversations.values()].filter((c) => !c.members).map(loadMembers));
    renderInbox();
    if (needsSync.length) sync();
    // messages fetched at sign-in are delivered to this device now: say so (an ack that moves nothing stores nothing)
    for (const c of S.conversations.values()) {
        if (c.lastMessage && c.lastMessage.senderId !== S.me.id && !c.removed) ackDelivered(c.id, c.lastSeq);
    }
}

async function loadMembers(c) {
    try {
        const details = await session.api('GET', '/api/conversations/' + c.id);
        c.members = details.members;
        c.type = details.type;
        c.title = details.title;
        c.createdAt = details.createdAt;
        if (details.removed && !c.removed) {
            c.removed = true;
            if (S.active === c.id) renderComposer();
        }
    } catch (e) {
        c.members = c.members || [];
    }
}

function visible() {
    return document.visibilityState !== 'hidden';
}

function previewText(c) {
    const typers = S.typing.get(c.id);
    if (typers && typers.size) return h('span.typing-inline', {}, c.type === 'GROUP' ? [...typers.keys()].map(nameOf).join(', ') + ' typing…' : 'typing…');
    const m = c.lastMessage;
    if (!m) return c.type === 'GROUP' ? 'Group created' : 'No messages yet';
    const who = m.senderId === S.me.id ? 'You: ' : c.type === 'GROUP' ? nameOf(m.senderId) + ': ' : '';
    if (m.deleted) return who + '🚫 This message was deleted';
    const media = m.type && m.type !== 'TEXT' ? MEDIA_ICON[m.type] + ' ' : '';
    return who + media + (m.text || MEDIA_WORD[m.type] || '');
}

function renderInbox() {
    const ul = $('#conversations');
    if (!ul) return;
    updateTitle();
    if (S.search) { renderSearchResults(ul); return; }
    const sorted = [...S.conversations.values()].sort((a, b) => (b.lastActivityAt || '').localeCompare(a.lastActivityAt || ''));
    ul.replaceChildren(...sorted.map((c) => {
        const title = titleOf(c);
        return h('li', {}, h('button.conv' + (c.id === S.active ? '.active' : ''), {type: 'button', dataset: {id: c.id},
            'aria-current': c.id === S.active ? 'true' : null, onclick: () => openChat(c.id)},
            avatar(title, c.type === 'DIRECT' ? peerOf(c) : c.id),
            h('span.conv-main', {},
                h('span.conv-top', {}, h('span.conv-title', {}, title), h('span.conv-when', {}, shortWhen(c.lastActivityAt))),
                h('span.conv-bottom', {},
                    h('span.preview', {}, previewText(c)),
                    c.muted && h('span.muted', {title: 'Muted', 'aria-label': 'muted'}, '🔕'),
                    c.mentioned && c.unreadCount > 0 && h('span.at', {title: 'You were mentioned', 'aria-label': 'you were mentioned'}, '@'),
                    c.unreadCount > 0 && h('span.unread', {'aria-label': c.unreadCount + ' unread'}, String(c.unreadCount))))));
    }));
    if (!sorted.length) ul.append(h('li.hint', {}, 'No chats yet: start one with ✎ above.'));
}

function updateTitle() {
    const unread = [...S.conversations.values()].reduce((n, c) => n + (c.muted ? 0 : c.unreadCount || 0), 0);
    document.title = (unread ? '(' + unread + ') ' : '') + 'Parley';
}

// ------------------------------------------------------------------ search

async function runSearch(q) {
    q = (q || '').trim();
    if (!q) { S.search = null; S.searchScope = null; $('#search').placeholder = 'Search messages'; renderInbox(); return; }
    if (!/[\p{L}\p{N}]/u.test(q)) return;
    try {
        const scope = S.searchScope ? '&conversation=' + S.searchScope : '';
        const answer = await session.api('GET', '/api/search?size=30&q=' + encodeURIComponent(q) + scope);
        if (($('#search') || {}).value.trim() !== q) return;
        S.search = {q, hits: answer.hits};
        renderInbox();
    } catch (e) {
        failed('Search failed', e, () => runSearch(q));
    }
}

function renderSearchResults(ul) {
    const hits = S.search.hits;
    const scoped = S.searchScope && S.conversations.get(S.searchScope);
    ul.replaceChildren(h('li.hint', {}, hits.length ? hits.length + ' messages found' : 'No messages found',
        scoped ? h('span.chip', {id: 'search-scope'}, ' in ' + titleOf(scoped),
            h('button.icon', {type: 'button', 'aria-label': 'Search all chats', onclick: () => { S.searchScope = null; runSearch($('#search').value); }}, '✕')) : ''),
        ...hits.map((hit) => {
            const c = S.conversations.get(hit.conversationId);
            return h('li', {}, h('button.conv.hit', {type: 'button', dataset: {cid: hit.conversationId, seq: hit.seq},
                onclick: () => { openChat(hit.conversationId, {at: hit.seq}); }},
                avatar(titleOf(c), c && c.type === 'DIRECT' ? peerOf(c) : hit.conversationId),
                h('span.conv-main', {},
                    h('span.conv-top', {}, h('span.conv-title', {}, titleOf(c) || 'Chat'), h('span.conv-when', {}, shortWhen(hit.sentAt))),
                    h('span.preview.wrap', {}, nameOf(hit.senderId) + ': ', hit.highlight ? highlighted(hit.highlight) : hit.text || ''))));
        }));
}

// ------------------------------------------------------------------ opening a chat

async function openChat(id, {at} = {}) {
    S.view = 'chats';
    $('#view').hidden = true;
    $('#app').classList.remove('view-open');
    const previous = S.active;
    if (previous && previous !== id) sendTyping(previous, false);
    S.active = id;
    S.reply = null;
    S.editing = null;
    const c = S.conversations.get(id);
    if (!c) return;
    $('#app').classList.add('chat-open');
    if (location.hash !== '#' + id) history.pushState({chat: id}, '', '#' + id);
    const unreadAtOpen = c.unreadCount || 0;
    renderChatPane();
    renderInbox();
    if (!c.members) await loadMembers(c);
    renderHeader();
    const peer = c.type === 'DIRECT' && peerOf(c);
    if (peer) session.api('GET', '/api/users/' + peer + '/presence').then((p) => { S.presence.set(peer, p); renderHeader(); }).catch(() => {});
    let tl = S.timelines.get(id);
    try {
        if (!tl || (at && !tl.entries.has(at))) tl = await loadTimeline(c, at);
    } catch (e) {
        if (S.active !== id) return;
        $('#timeline').replaceChildren(h('div.empty', {}, h('p', {}, 'Could not load this chat: ' + e.message),
            h('button.primary', {type: 'button', onclick: () => openChat(id, {at})}, 'Retry')));
        return;
    }
    if (S.active !== id) return;
    if (!at && unreadAtOpen > 0) {
        const others = [...tl.entries.values()].filter((e) => e.kind === 'MESSAGE' && e.senderId !== S.me.id).sort((a, b) => a.seq - b.seq);
        const first = others[Math.max(0, others.length - unreadAtOpen)];
        tl.firstUnread = first ? first.seq : null;
        tl.unreadAtOpen = unreadAtOpen;
    } else {
        tl.firstUnread = null;
    }
    renderTimeline(at ? {to: at} : tl.firstUnread ? {to: tl.firstUnread, marker: true} : 'bottom');
    markRead();
    loadWatermarks(c, tl);
    $('#composer-text') && window.innerWidth > 700 && $('#composer-text').focus();
}

// A conversation just created may not be in the read model yet: its history answers 404 for a moment.
async function withCatchUp(call) {
    for (let attempt = 0; ; attempt++) {
        try {
            return await call();
        } catch (e) {
            if (e.status !== 404 || attempt >= 15) throw e;
            await new Promise((r) => setTimeout(r, 150 + attempt * 100));
        }
    }
}

async function loadTimeline(c, at) {
    const path = '/api/conversations/' + c.id + '/messages';
    const page = await withCatchUp(() => session.api('GET', path + (at ? '?limit=50&before=' + (at + 26) : '?limit=50')));
    const tl = {entries: new Map(), hasMoreBefore: page.hasMore, loadingOlder: false, newWhileAway: 0};
    for (const e of page.messages) tl.entries.set(e.seq, e);
    if (at) {
        // opened at a search hit: fetch forward to the newest so the timeline has no hole
        let after = Math.max(0, ...tl.entries.keys());
        for (let more = true; more;) {
            const next = await session.api('GET', path + '?limit=200&after=' + after);
            for (const e of next.messages) tl.entries.set(e.seq, e);
            more = next.hasMore && next.messages.length > 0;
            after = Math.max(after, ...next.messages.map((e) => e.seq));
        }
    }
    const newest = Math.max(0, ...tl.entries.keys());
    c.held = Math.max(c.held || 0, newest);
    S.timelines.set(c.id, tl);
    return tl;
}

async function loadOlder() {
    const id = S.active;
    const tl = S.timelines.get(id);
    if (!tl || !tl.hasMoreBefore || tl.loadingOlder) return;
    tl.loadingOlder = true;
    const oldest = Math.min(...tl.entries.keys());
    try {
        const page = await session.api('GET', '/api/conversations/' + id + '/messages?limit=50&before=' + oldest);
        for (const e of page.messages) if (!tl.entries.has(e.seq)) tl.entries.set(e.seq, e);
        tl.hasMoreBefore = page.hasMore;
        if (S.active === id) renderTimeline('prepend');
    } catch (e) {
        failed('Could not load older messages', e, loadOlder);
    } finally {
        tl.loadingOlder = false;
    }
}

// Ticks need the other members' watermarks: ask the receipts of my newest messages until each member is placed.
async function loadWatermarks(c, tl) {
    const mine = [...tl.entries.values()].filter((e) => e.kind === 'MESSAGE' && e.senderId === S.me.id && !e.deleted)
        .sort((a, b) => b.seq - a.seq);
    const others = (c.members || []).filter((m) => m.userId !== S.me.id).map((m) => m.userId);
    const placed = new Set();
    for (const e of mine.slice(0, 6)) {
        try {
            const r = await session.api('GET', '/api/conversations/' + c.id + '/messages/' + e.seq + '/receipts');
            for (const d of r.delivered || []) raiseWatermark(c, d.userId, 'DELIVERED', e.seq);
            for (const d of r.read || []) { raiseWatermark(c, d.userId, 'READ', e.seq); placed.add(d.userId); }
        } catch { break; }
        if (others.every((u) => placed.has(u))) break;
    }
    if (S.active === c.id) renderTimeline('keep');
}

function raiseWatermark(c, userId, kind, seq) {
    const w = c.watermarks.get(userId) || {delivered: 0, read: 0};
    w.delivered = Math.max(w.delivered, seq);
    if (kind === 'READ') w.read = Math.max(w.read, seq);
    c.watermarks.set(userId, w);
}

// ------------------------------------------------------------------ chat pane

function renderChatPane() {
    const c = S.conversations.get(S.active);
    const pane = $('#conversation');
    const timeline = h('div.timeline', {id: 'timeline', tabindex: '0', 'aria-label': 'Messages', onscroll: onTimelineScroll},
        h('p.loading', {}, 'Loading…'));
    const jump = h('button.jump', {id: 'jump-to-bottom', type: 'button', hidden: true, 'aria-label': 'Jump to the newest message',
        onclick: () => renderTimeline('bottom')}, '⌄', h('span.badge', {id: 'jump-count', hidden: true}));
    pane.replaceChildren(
        h('header.bar.chat-header', {id: 'chat-header'}),
        h('div.timeline-wrap', {}, timeline, jump),
        h('div.composer-wrap', {id: 'composer-wrap'}));
    renderHeader();
    renderComposer();
    pane.ondragover = (e) => { e.preventDefault(); pane.classList.add('drop'); };
    pane.ondragleave = () => pane.classList.remove('drop');
    pane.ondrop = (e) => {
        e.preventDefault();
        pane.classList.remove('drop');
        for (const f of e.dataTransfer.files) sendFile(f);
    };
}

function renderHeader() {
    const header = $('#chat-header');
    const c = S.conversations.get(S.active);
    if (!header || !c) return;
    const title = titleOf(c);
    let sub = '';
    const typers = S.typing.get(c.id);
    if (typers && typers.size) {
        const names = [...typers.keys()].map(nameOf);
        sub = h('span.typing-inline', {id: 'typing'}, names.length === 1 ? names[0] + ' is typing…' : names.join(' and ') + ' are typing…');
    } else if (c.type === 'DIRECT') {
        const p = S.presence.get(peerOf(c));
        sub = p ? (p.online ? 'online' : p.lastSeenAt ? 'last seen ' + lastSeen(p.lastSeenAt) : '') : '';
    } else if (c.members) {
        sub = c.members.map((m) => nameOf(m.userId)).sort().join(', ');
    }
    header.replaceChildren(
        h('button.icon.back', {type: 'button', id: 'back-button', 'aria-label': 'Back to chats', onclick: back}, '←'),
        avatar(title, c.type === 'DIRECT' ? peerOf(c) : c.id),
        h('button.who.linkish', {type: 'button', id: 'chat-info-button', 'aria-label': 'Chat info', onclick: () => infoDialog(c)},
            h('h2', {id: 'conversation-title'}, title), h('span.sub', {id: 'presence'}, sub)),
        h('button.icon', {type: 'button', id: 'search-in-chat', 'aria-label': 'Search in this chat', title: 'Search in this chat', onclick: () => searchInChat(c)}, '⌕'),
        h('button.icon', {type: 'button', 'aria-label': c.muted ? 'Unmute' : 'Mute', title: c.muted ? 'Unmute' : 'Mute', onclick: () => toggleMute(c)}, c.muted ? '🔕' : '🔔'));
}

function searchInChat(c) {
    S.searchScope = c.id;
    if (window.innerWidth <= 700) closeChat();
    const input = $('#search');
    input.placeholder = 'Search in ' + titleOf(c);
    input.focus();
    if (input.value.trim()) runSearch(input.value);
}

function lastSeen(iso) {
    const d = new Date(iso);
    return (d.toDateString() === new Date().toDateString() ? 'today' : d.toLocaleDateString()) + ' at ' + time(iso);
}

// the back button is the browser's back when the chat was opened here (popstate then closes it), so both agree
function back() {
    if (history.state && history.state.chat === S.active) history.back(); else closeChat();
}

function closeChat() {
    if (S.active) sendTyping(S.active, false);
    S.active = null;
    $('#app').classList.remove('chat-open');
    $('#conversation').replaceChildren(h('div.empty', {}, h('p', {}, 'Pick a chat, or start one with ✎')));
    if (location.hash) history.pushState({}, '', location.pathname);
    renderInbox();
}

window.addEventListener('popstate', () => {
    const id = location.hash.slice(1);
    if (id && S.conversations.has(id)) { if (id !== S.active) openChat(id); } else if (S.active) closeChat();
});

async function toggleMute(c) {
    try {
        if (c.muted) await session.api('DELETE', '/api/conversations/' + c.id + '/mute');
        else await session.api('PUT', '/api/conversations/' + c.id + '/mute', {});
        c.muted = !c.muted;
        renderHeader();
        renderInbox();
    } catch (e) {
        failed('Could not change mute', e, () => toggleMute(c));
    }
}

function onTimelineScroll() {
    const sc = $('#timeline');
    if (!sc) return;
    if (sc.scrollTop < 400) loadOlder();
    const atBottom = isAtBottom(sc);
    $('#jump-to-bottom').hidden = atBottom;
    const tl = S.timelines.get(S.active);
    if (atBottom && tl && tl.newWhileAway) { tl.newWhileAway = 0; updateJumpCount(tl); markRead(); }
}

function isAtBottom(sc) {
    return sc.scrollHeight - sc.scrollTop - sc.clientHeight < 48;
}

function updateJumpCount(tl) {
    const badge = $('#jump-count');
    if (!badge) return;
    badge.hidden = !tl.newWhileAway;
    badge.textContent = tl.newWhileAway || '';
}

// mode: 'bottom', 'keep' (stay where the reader is; stick to the bottom when there), 'prepend' (older page added
// above: keep the same message under the reader's eyes), or {to: seq} to bring one message into view.
function renderTimeline(mode) {
    const sc = $('#timeline');
    const c = S.conversations.get(S.active);
    const tl = S.timelines.get(S.active);
    if (!sc || !c || !tl) return;
    const wasAtBottom = isAtBottom(sc);
    const fromBottom = sc.scrollHeight - sc.scrollTop;
    const top = sc.scrollTop;
    const list = h('ol.messages', {id: 'messages'});
    if (tl.hasMoreBefore) list.append(h('li.loading', {}, 'Loading older messages…'));
    else list.append(h('li.system.start', {}, h('span', {}, c.type === 'GROUP'
        ? 'Group “' + (c.title || '') + '”' + (c.createdAt ? ', created ' + dayLabel(c.createdAt).replace(/^[A-Z]/, (x) => x.toLowerCase()) : '')
        : 'Start of your chat with ' + titleOf(c))));
    let lastDay = null;
    let lastSender = null;
    const seqs = [...tl.entries.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
        const e = tl.entries.get(seq);
        if (e.kind !== 'MESSAGE' && e.kind !== 'MEMBERSHIP') continue;
        const when = e.sentAt || e.at;
        const day = when ? new Date(when).toDateString() : lastDay;
        if (day !== lastDay) { list.append(h('li.day', {}, h('span', {}, dayLabel(when)))); lastDay = day; lastSender = null; }
        if (tl.firstUnread === seq) list.append(h('li.new-marker', {id: 'new-marker'}, h('span', {}, tl.unreadAtOpen + ' unread message' + (tl.unreadAtOpen > 1 ? 's' : ''))));
        if (e.kind === 'MEMBERSHIP') {
            list.append(h('li.system', {dataset: {seq}}, h('span', {}, membershipLine(e))));
            lastSender = null;
            continue;
        }
        list.append(messageItem(c, tl, e, lastSender !== e.senderId));
        lastSender = e.senderId;
    }
    for (const m of S.outbox.filter((o) => o.conversationId === c.id)) {
        list.append(messageItem(c, tl, {kind: 'MESSAGE', conversationId: c.id, senderId: S.me.id, clientMessageId: m.clientMessageId,
            text: m.text, replyTo: m.replyTo, media: m.media, type: m.media ? m.media.kind : 'TEXT', mentions: m.mentions, pending: m}, lastSender !== S.me.id));
        lastSender = S.me.id;
    }
    sc.replaceChildren(list);
    if (mode === 'bottom' || (mode === 'keep' && wasAtBottom)) sc.scrollTop = sc.scrollHeight;
    else if (mode === 'prepend') sc.scrollTop = sc.scrollHeight - fromBottom;
    else if (mode && mode.to) {
        const target = mode.marker ? $('#new-marker') : sc.querySelector(`li[data-seq="${mode.to}"]`);
        if (target) {
            sc.scrollTop = Math.max(0, target.offsetTop - (mode.marker ? 8 : sc.clientHeight / 3));
            if (!mode.marker) {
                // the highlight survives re-renders (receipts, names) until it has been seen
                tl.flash = mode.to;
                target.classList.add('flash');
                setTimeout(() => { if (tl.flash === mode.to) tl.flash = null; }, 4000);
            }
        } else sc.scrollTop = sc.scrollHeight;
    } else sc.scrollTop = top;
    $('#jump-to-bottom').hidden = isAtBottom(sc);
    updateJumpCount(tl);
}

function membershipLine(e) {
    const actor = e.actorId ? nameOf(e.actorId) : null;
    const member = e.memberId ? nameOf(e.memberId) : null;
    switch (e.action) {
        case 'CREATED': return (actor || member || 'Someone') + ' created the group' + (e.title ? ' “' + e.title + '”' : '');
        case 'ADDED': return (actor && actor !== member ? actor + ' added ' : '') + member + (actor && actor !== member ? '' : ' joined');
        case 'REMOVED': return (actor || 'An admin') + ' removed ' + member;
        case 'LEFT': return member + ' left';
        case 'ADMIN_GRANTED': return (actor ? actor + ' made ' : '') + member + (actor ? ' an admin' : ' is now an admin');
        case 'RENAMED': return (actor || 'Someone') + ' renamed the group to “' + (e.title || '') + '”';
        default: return (e.action || '').toLowerCase();
    }
}

function tickState(c, e) {
    if (e.pending) return e.pending.state === 'failed' ? 'failed' : 'pending';
    const others = (c.members || []).filter((m) => m.userId !== S.me.id).map((m) => c.watermarks.get(m.userId) || {delivered: 0, read: 0});
    if (others.length && others.every((w) => w.read >= e.seq)) return 'read';
    if (others.length && others.every((w) => w.delivered >= e.seq)) return 'delivered';
    return 'sent';
}

const TICKS = {pending: ['🕓', 'Sending'], failed: ['⚠', 'Not sent'], sent: ['✓', 'Sent'], delivered: ['✓✓', 'Delivered'], read: ['✓✓', 'Read']};

function messageItem(c, tl, e, firstOfRun) {
    const mine = e.senderId === S.me.id;
    const group = c.type === 'GROUP';
    const bubble = h('div.bubble');
    if (group && !mine && firstOfRun) bubble.append(h('span.sender', {style: `--hue:${hue(e.senderId)}`}, nameOf(e.senderId)));
    if (e.replyTo && !e.deleted) {
        const quoted = tl.entries.get(e.replyTo);
        bubble.append(h('button.quote', {type: 'button', 'aria-label': 'Go to the quoted message', onclick: () => jumpTo(e.replyTo)},
            h('span.sender', {style: quoted ? `--hue:${hue(quoted.senderId)}` : ''}, quoted ? nameOf(quoted.senderId) : 'Message'),
            h('span.quote-text', {}, quoted ? (quoted.deleted ? 'This message was deleted' : quoted.text || MEDIA_WORD[quoted.type] || '') : 'An earlier message')));
    }
    if (e.forwardedFrom && !e.deleted) bubble.append(h('span.forwarded', {}, '↪ Forwarded'));
    if (e.deleted) {
        bubble.append(h('span.text.deleted', {}, '🚫 This message was deleted'));
    } else {
        if (e.media) bubble.append(mediaView(e.media, e.pending));
        if (e.text) bubble.append(h('span.text', {}, ...withMentions(e)));
    }
    const state = mine ? tickState(c, e) : null;
    bubble.append(h('span.meta', {},
        e.editedAt && !e.deleted ? h('span.edited', {}, 'edited') : '',
        h('time', {datetime: e.sentAt || ''}, e.sentAt ? time(e.sentAt) : ''),
        state && h('span.ticks.' + state, {title: TICKS[state][1], 'aria-label': TICKS[state][1]}, TICKS[state][0])));
    if (e.pending && e.pending.state === 'uploading') bubble.append(h('progress', {max: 1, value: e.pending.progress || 0, 'aria-label': 'Upload progress'}));
    if (e.pending && e.pending.state === 'failed') {
        bubble.append(h('div.failed', {role: 'alert'}, h('span', {}, 'Not sent: ' + (e.pending.error || 'refused')),
            h('button.link.retry', {type: 'button', onclick: () => retryOutbox(e.pending)}, 'Retry'),
            h('button.link', {type: 'button', onclick: () => discardOutbox(e.pending)}, 'Discard')));
    }
    const reactions = e.reactions && !e.deleted ? Object.entries(e.reactions) : [];
    let reactionRow = null;
    if (reactions.length) {
        const counts = new Map();
        for (const [, emoji] of reactions) counts.set(emoji, (counts.get(emoji) || 0) + 1);
        const myEmoji = e.reactions[S.me.id];
        reactionRow = h('div.reactions', {},
            ...[...counts].map(([emoji, n]) => h('button.reaction' + (emoji === myEmoji ? '.mine' : ''), {type: 'button',
                title: reactions.filter(([, x]) => x === emoji).map(([u]) => nameOf(u)).join(', '),
                'aria-label': emoji + ' ' + n + (emoji === myEmoji ? ', yours: remove' : ''),
                onclick: () => react(c.id, e.seq, emoji === myEmoji ? null : emoji)}, emoji, n > 1 ? ' ' + n : '')));
    }
    const actions = !e.pending && !e.deleted && !c.removed
        ? h('button.icon.msg-actions', {type: 'button', 'aria-label': 'Message actions', 'aria-haspopup': 'menu',
            onclick: (ev) => { ev.stopPropagation(); openMessageMenu(ev.currentTarget, c, e); }}, '⌄') : null;
    return h('li.msg' + (mine ? '.mine' : '') + (firstOfRun ? '.first' : '') + (e.pending ? '.pending' : '') + (tl.flash === e.seq && !e.pending ? '.flash' : ''),
        {dataset: e.pending ? {cmid: e.clientMessageId} : {seq: e.seq, cmid: e.clientMessageId || ''}},
        h('div.row', {}, bubble, actions), reactionRow);
}

/**
 * The text with its mentions marked: the server stores the mentioned ids, the text holds "@Name" as the sender's
 * client wrote it (README: mentions do not change the text), so each id's "@display name" and a group's "@all"
 * are found in the text and highlighted; the ones naming me stand out.
 */
function withMentions(e) {
    const ids = e.mentions || [];
    if (!ids.length) return [e.text];
    const labels = new Map();
    for (const id of ids) {
        const name = id === S.me.id ? S.me.displayName : (S.names.get(id) || {}).displayName;
        if (name) labels.set('@' + name, id === S.me.id);
    }
    if (/(^|\s)@all\b/.test(e.text)) labels.set('@all', ids.includes(S.me.id));
    if (!labels.size) return [e.text];
    const escape = (x) => x.replace(/[\\^$.*+?()[\]{}|\/-]/g, '\\$&');
    const pattern = new RegExp('(' + [...labels.keys()].sort((a, b) => b.length - a.length).map(escape).join('|') + ')', 'g');
    return e.text.split(pattern).map((part, i) => i % 2
        ? h('span.mention' + (labels.get(part) ? '.me' : ''), {}, part)
        : part).filter((part) => part !== '');
}

const blobs = new Map();
function mediaBlob(path) {
    if (!blobs.has(path)) blobs.set(path, session.blobUrl(path).catch((e) => { blobs.delete(path); throw e; }));
    return blobs.get(path);
}

function mediaView(media, pending) {
    if (media.kind === 'IMAGE') {
        const w = media.width || 240, hgt = media.height || 180;
        const scale = Math.min(1, 240 / w, 240 / hgt);
        const img = h('img', {alt: media.fileName || 'Photo', width: Math.round(w * scale), height: Math.round(hgt * scale)});
        if (pending && media.localUrl) img.src = media.localUrl;
        else if (media.mediaId) mediaBlob('/api/media/' + media.mediaId + (media.hasThumbnail ? '/thumbnail' : '')).then((u) => { img.src = u; }).catch(() => { img.alt = 'Photo unavailable'; });
        return h('button.media-image', {type: 'button', 'aria-label': 'Open photo ' + (media.fileName || ''), onclick: () => media.mediaId && openViewer(media)}, img);
    }
    if (media.kind === 'VIDEO') {
        const box = h('div.media-video');
        const play = h('button.primary', {type: 'button', 'aria-label': 'Play video ' + (media.fileName || ''), onclick: async () => {
            play.disabled = true;
            play.textContent = 'Loading…';
            try {
                // streamed through the media worker (Range requests: it starts at once and seeks anywhere); a
                // browser without one downloads the whole file first
                const url = await mediaWorker() ? '/api/media/' + media.mediaId : await mediaBlob('/api/media/' + media.mediaId);
                const video = h('video', {src: url, controls: true, autoplay: true, preload: 'metadata', 'aria-label': media.fileName || 'Video',
                    onerror: () => { box.replaceChildren(play); play.disabled = false; play.textContent = '▶ Play video'; toast('Could not play the video', () => play.click()); }});
                box.replaceChildren(video);
            } catch (e) { play.disabled = false; play.textContent = '▶ Play video'; failed('Could not load the video', e); }
        }}, '▶ Play video');
        if (media.hasThumbnail && media.mediaId) {
            const poster = h('img.poster', {alt: '', width: 240});
            mediaBlob('/api/media/' + media.mediaId + '/thumbnail').then((u) => { poster.src = u; }).catch(() => poster.remove());
            box.append(poster);
        }
        box.append(h('span.doc-name', {}, '🎥 ' + (media.fileName || 'Video') + ' · ' + fileSize(media.size)), pending ? '' : play);
        return box;
    }
    return h('button.media-doc', {type: 'button', 'aria-label': 'Download ' + (media.fileName || 'document'), onclick: () => media.mediaId && !pending && download(media)},
        h('span.doc-icon', {'aria-hidden': 'true'}, '📄'),
        h('span.doc-main', {}, h('span.doc-name', {}, media.fileName || 'Document'), h('span.sub', {}, fileSize(media.size) + ' · ' + (media.contentType || ''))),
        pending ? '' : h('span.doc-get', {'aria-hidden': 'true'}, '⬇'));
}

// The media worker (/media-sw.js) adds the bearer token to a <video>'s own Range requests; it asks this page for
// a fresh token each time. Resolves true when a worker controls the page (a first visit waits for it to claim).
let workerRegistration = null;
function mediaWorker() {
    if (!('serviceWorker' in navigator)) return Promise.resolve(false);
    if (!workerRegistration) {
        navigator.serviceWorker.addEventListener('message', (e) => {
            if (!e.data || e.data.type !== 'parley-token' || !e.ports[0]) return;
            session.freshToken().then((t) => e.ports[0].postMessage(t), () => e.ports[0].postMessage(null));
        });
        workerRegistration = navigator.serviceWorker.register('/media-sw.js', {scope: '/'}).catch(() => null);
    }
    return workerRegistration.then((registration) => {
        if (!registration) return false;
        if (navigator.serviceWorker.controller) return true;
        return new Promise((resolve) => {
            const done = () => resolve(!!navigator.serviceWorker.controller);
            navigator.serviceWorker.addEventListener('controllerchange', done, {once: true});
            setTimeout(done, 3000);
        });
    });
}

async function download(media) {
    try {
        const url = await mediaBlob('/api/media/' + media.mediaId);
        const a = h('a', {href: url, download: media.fileName || 'download'});
        document.body.append(a);
        a.click();
        a.remove();
    } catch (e) {
        failed('Download failed', e, () => download(media));
    }
}

async function openViewer(media) {
    const img = h('img', {alt: media.fileName || 'Photo'});
    const close = () => { overlay.remove(); };
    const overlay = h('div.viewer', {id: 'viewer', role: 'dialog', 'aria-label': 'Photo', tabindex: '-1', onclick: (e) => { if (e.target === overlay) close(); },
        onkeydown: (e) => { if (e.key === 'Escape') close(); }},
        h('header.bar', {}, h('span', {}, media.fileName || 'Photo'),
            h('button.icon', {type: 'button', 'aria-label': 'Download', onclick: () => download(media)}, '⬇'),
            h('button.icon', {type: 'button', 'aria-label': 'Close', onclick: close}, '✕')), img);
    document.body.append(overlay);
    overlay.focus();
    try { img.src = await mediaBlob('/api/media/' + media.mediaId); } catch (e) { failed('Could not open the photo', e); close(); }
}

function jumpTo(seq) {
    const tl = S.timelines.get(S.active);
    if (tl && tl.entries.has(seq)) renderTimeline({to: seq}); else openChat(S.active, {at: seq});
}

// ------------------------------------------------------------------ message menu

let openMenu = null;
function closeMessageMenu(e) {
    if (openMenu && (!e || !openMenu.contains(e.target))) { openMenu.remove(); openMenu = null; }
}

function openMessageMenu(anchor, c, e) {
    closeMessageMenu();
    const mine = e.senderId === S.me.id;
    const age = Date.now() - new Date(e.sentAt).getTime();
    const item = (label, action, id) => h('button.menuitem', {type: 'button', role: 'menuitem', dataset: {action: id},
        onclick: () => { closeMessageMenu(); action(); }}, label);
    const menu = h('div.menu.msg-menu', {role: 'menu', onkeydown: (ev) => {
        const items = [...menu.querySelectorAll('button')];
        const i = items.indexOf(document.activeElement);
        if (ev.key === 'Escape') { closeMessageMenu(); anchor.focus(); }
        if (ev.key === 'ArrowDown') { ev.preventDefault(); items[(i + 1) % items.length].focus(); }
        if (ev.key === 'ArrowUp') { ev.preventDefault(); items[(i - 1 + items.length) % items.length].focus(); }
    }},
        h('div.quick', {}, ...QUICK_REACTIONS.map((emoji) => h('button.icon', {type: 'button', 'aria-label': 'React ' + emoji, dataset: {emoji},
            onclick: () => { closeMessageMenu(); react(c.id, e.seq, (e.reactions || {})[S.me.id] === emoji ? null : emoji); }}, emoji))),
        item('↩ Reply', () => startReply(e.seq), 'reply'),
        e.text && item('⧉ Copy', () => navigator.clipboard && navigator.clipboard.writeText(e.text), 'copy'),
        item('↪ Forward', () => forwardDialog(c, e), 'forward'),
        mine && e.type === 'TEXT' && age < EDIT_WINDOW && item('✎ Edit', () => startEdit(e), 'edit'),
        mine && age < DELETE_WINDOW && item('🗑 Delete for everyone', () => deleteMessage(c.id, e.seq), 'delete'),
        mine && item('ⓘ Info', () => messageInfo(c, e), 'info'));
    const rect = anchor.getBoundingClientRect();
    menu.style.top = Math.min(rect.bottom + 4, window.innerHeight - 320) + 'px';
    menu.style.left = Math.max(8, Math.min(rect.left - 160, window.innerWidth - 230)) + 'px';
    document.body.append(menu);
    openMenu = menu;
    menu.querySelector('button').focus();
}

// Forward: the server copies the message (text as edited, the same file) into each chosen chat; each copy
// carries forwardedFrom, shown as "Forwarded". One clientMessageId for the whole pick, so a retry stores nothing twice.
function forwardDialog(c, e) {
    const error = h('p.error', {role: 'alert'});
    const clientMessageId = crypto.randomUUID();
    const chosen = new Set();
    const send = h('button.primary', {type: 'submit', id: 'forward-button', disabled: true}, 'Forward');
    const filter = h('input', {id: 'forward-filter', type: 'search', placeholder: 'Search chats', 'aria-label': 'Search chats to forward to'});
    const list = h('div.forward-list', {id: 'forward-targets', role: 'group', 'aria-label': 'Chats'});
    const targets = [...S.conversations.values()].filter((x) => !x.removed)
        .sort((a, b) => (b.lastActivityAt || '').localeCompare(a.lastActivityAt || ''));
    const renderList = () => {
        const q = filter.value.trim().toLowerCase();
        list.replaceChildren(...targets.filter((x) => !q || titleOf(x).toLowerCase().includes(q)).map((x) => h('label', {},
            h('input', {type: 'checkbox', checked: chosen.has(x.id), dataset: {id: x.id}, onchange: (ev) => {
                if (ev.target.checked) chosen.add(x.id); else chosen.delete(x.id);
                send.disabled = !chosen.size || chosen.size > 20;
            }}),
            avatar(titleOf(x), x.type === 'DIRECT' ? peerOf(x) : x.id), h('span', {}, titleOf(x)))));
    };
    filter.addEventListener('input', renderList);
    renderList();
    const d = dialog('Forward message', h('form.stack', {onsubmit: async (ev) => {
        ev.preventDefault();
        error.textContent = '';
        send.disabled = true;
        try {
            await session.api('POST', '/api/conversations/' + c.id + '/messages/' + e.seq + '/forward', {to: [...chosen], clientMessageId});
            d.close();
            toast('Forwarded to ' + (chosen.size === 1 ? titleOf(S.conversations.get([...chosen][0])) : chosen.size + ' chats'));
        } catch (err) {
            error.textContent = 'Could not forward: ' + err.message;
            send.disabled = false;
        }
    }}, h('div.quote', {}, h('span.quote-text', {}, e.text || MEDIA_WORD[e.type] || '')), filter, list, send, error));
    filter.focus();
}

async function react(cid, seq, emoji) {
    try {
        await session.api('PUT', '/api/conversations/' + cid + '/messages/' + seq + '/reaction', {emoji});
    } catch (e) {
        failed('Could not react', e, () => react(cid, seq, emoji));
    }
}

async function deleteMessage(cid, seq) {
    if (!confirm('Delete this message for everyone?')) return;
    try {
        await session.api('DELETE', '/api/conversations/' + cid + '/messages/' + seq);
    } catch (e) {
        failed('Could not delete', e, () => deleteMessage(cid, seq));
    }
}

function startReply(seq) {
    S.reply = seq;
    S.editing = null;
    renderComposer();
    $('#composer-text').focus();
}

function startEdit(e) {
    S.editing = e.seq;
    S.reply = null;
    renderComposer();
    const input = $('#composer-text');
    input.value = e.text;
    input.focus();
}

async function messageInfo(c, e) {
    try {
        const r = await session.api('GET', '/api/conversations/' + c.id + '/messages/' + e.seq + '/receipts');
        const list = (label, rows) => h('section', {}, h('h3', {}, label), rows.length
            ? h('ul.people', {}, ...rows.map((x) => h('li', {}, avatar(nameOf(x.userId), x.userId), h('span', {}, nameOf(x.userId)), h('span.sub', {}, time(x.at)))))
            : h('p.sub', {}, 'No one yet'));
        dialog('Message info', h('div', {id: 'message-info'},
            h('p', {}, 'Read by ' + r.read.length + ' of ' + r.recipients + ', delivered to ' + r.delivered.length + ' of ' + r.recipients),
            list('Read by', r.read), list('Delivered to', r.delivered)));
    } catch (err) {
        failed('Could not load message info', err);
    }
}

// ------------------------------------------------------------------ composer

function renderComposer() {
    const wrap = $('#composer-wrap');
    const c = S.conversations.get(S.active);
    if (!wrap || !c) return;
    if (c.removed) {
        wrap.replaceChildren(h('p.notice', {}, 'You are no longer a member of this group.'));
        return;
    }
    const tl = S.timelines.get(c.id);
    let banner = null;
    if (S.reply != null) {
        const q = tl && tl.entries.get(S.reply);
        banner = h('div.banner', {id: 'reply-banner'}, h('div.quote', {}, h('span.sender', {}, q ? nameOf(q.senderId) : ''), h('span.quote-text', {}, q ? q.text || MEDIA_WORD[q.type] || '' : '')),
            h('button.icon', {type: 'button', 'aria-label': 'Cancel reply', onclick: () => { S.reply = null; renderComposer(); }}, '✕'));
    } else if (S.editing != null) {
        banner = h('div.banner', {id: 'edit-banner'}, h('span', {}, '✎ Editing message'),
            h('button.icon', {type: 'button', 'aria-label': 'Cancel editing', onclick: () => { S.editing = null; $('#composer-text').value = S.drafts[c.id] || ''; renderComposer(); }}, '✕'));
    }
    const picker = mentionPicker(c);
    const text = h('textarea', {id: 'composer-text', rows: 1, placeholder: 'Type a message', 'aria-label': 'Message', maxlength: 65536,
        oninput: (e) => {
            autoGrow(e.target);
            if (S.editing == null) { S.drafts[c.id] = e.target.value; saveDraftsSoon(); }
            if (e.target.value) sendTyping(c.id, true);
            picker.update(e.target);
        },
        onclick: (e) => picker.update(e.target),
        onkeydown: (e) => {
            if (picker.key(e)) return;
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitComposer(); }
            if (e.key === 'Escape' && (S.reply != null || S.editing != null)) { S.reply = null; S.editing = null; renderComposer(); }
        },
        onpaste: (e) => {
            const files = [...(e.clipboardData || {}).files || []];
            if (files.length) { e.preventDefault(); files.forEach(sendFile); }
        },
        onblur: () => { sendTyping(c.id, false); setTimeout(picker.close, 150); }});
    picker.attach(text);
    const previousValue = $('#composer-text') && $('#composer-text').dataset.cid === c.id ? $('#composer-text').value : null;
    text.dataset.cid = c.id;
    text.value = previousValue != null ? previousValue : S.drafts[c.id] || '';
    const file = h('input.visually-hidden', {id: 'attachment', type: 'file', multiple: true, tabindex: '-1', 'aria-label': 'Files to send', onchange: (e) => { [...e.target.files].forEach(sendFile); e.target.value = ''; }});
    wrap.replaceChildren(picker.list, banner || '', h('form.composer', {id: 'composer', onsubmit: (e) => { e.preventDefault(); submitComposer(); }},
        h('button.icon', {type: 'button', id: 'attach-button', 'aria-label': 'Attach a file', title: 'Attach a file', onclick: () => file.click()}, '📎'),
        file, text,
        h('button.send', {type: 'submit', id: 'send-button', 'aria-label': S.editing != null ? 'Save edit' : 'Send'}, S.editing != null ? '✓' : '➤')));
    requestAnimationFrame(() => autoGrow(text));
}

const saveDraftsSoon = debounce(saveDrafts, 400);

// ------------------------------------------------------------------ mentions: "@" in a group offers its members

// the mentions picked per chat: "@Display Name" (as written into the text) -> member id, or "@all" -> "@all"
const mentionPicks = new Map();

/**
 * The composer's mention picker. Typing "@" (at the start or after a space) in a group lists the other members
 * whose name or handle starts with what follows, and "@all"; arrows move, Enter or Tab picks, Escape closes.
 * Picking writes "@Name " into the text and remembers the id, which the send carries in `mentions`.
 */
function mentionPicker(c) {
    const list = h('ul.suggestions.mention-picker', {id: 'mention-picker', role: 'listbox', hidden: true, 'aria-label': 'Mention a member'});
    let input = null;
    let items = [];
    let current = 0;
    let start = -1;
    const close = () => {
        items = [];
        list.hidden = true;
        if (input) { input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); }
    };
    const show = () => {
        list.hidden = !items.length;
        input.setAttribute('aria-expanded', String(!list.hidden));
        list.replaceChildren(...items.map((p, i) => h('li.suggestion' + (i === current ? '.current' : ''), {id: 'mention-' + i, role: 'option',
            'aria-selected': String(i === current), dataset: {id: p.id}, onmousedown: (ev) => { ev.preventDefault(); pick(i); }},
            p.id === '@all' ? h('span.avatar', {'aria-hidden': 'true'}, '@') : avatar(p.name, p.id),
            h('span.person', {}, h('span', {}, p.id === '@all' ? '@all' : p.name), h('span.sub', {}, p.id === '@all' ? 'everyone in this group' : p.handle ? '@' + p.handle : '')))));
        if (items.length) input.setAttribute('aria-activedescendant', 'mention-' + current);
    };
    const pick = (i) => {
        const p = items[i];
        if (!p || !input) return;
        const label = p.id === '@all' ? '@all' : '@' + p.name;
        const caret = input.selectionStart;
        input.value = input.value.slice(0, start) + label + ' ' + input.value.slice(caret);
        const at = start + label.length + 1;
        input.setSelectionRange(at, at);
        if (!mentionPicks.has(c.id)) mentionPicks.set(c.id, new Map());
        mentionPicks.get(c.id).set(label, p.id);
        if (S.editing == null) { S.drafts[c.id] = input.value; saveDraftsSoon(); }
        close();
        input.focus();
    };
    return {
        list,
        close,
        attach(el) {
            input = el;
            el.setAttribute('aria-controls', list.id);
            el.setAttribute('aria-autocomplete', 'list');
        },
        update(el) {
            if (c.type !== 'GROUP' || S.editing != null) { close(); return; }
            const before = el.value.slice(0, el.selectionStart);
            const m = /(^|\s)@([^\s@]{0,30})$/.exec(before);
            if (!m) { close(); return; }
            start = before.length - m[2].length - 1;
            const q = m[2].toLowerCase();
            items = (c.members || []).filter((x) => x.userId !== S.me.id).map((x) => ({id: x.userId, name: nameOf(x.userId),
                handle: (S.names.get(x.userId) || {}).handle || ''}))
                .filter((p) => !q || p.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || p.handle.startsWith(q))
                .sort((a, b) => a.name.localeCompare(b.name)).slice(0, 8);
            if ('all'.startsWith(q)) items.push({id: '@all'});
            current = 0;
            show();
        },
        /** Handles the keys the open picker owns; true when it took the key. */
        key(e) {
            if (list.hidden || !items.length) return false;
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                current = (current + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
                show();
            } else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
                pick(current);
            } else if (e.key === 'Escape') {
                close();
                e.stopPropagation();
            } else return false;
            e.preventDefault();
            return true;
        },
    };
}

/** The ids the text still mentions: picks whose "@Name" is still in it (a pick deleted again mentions no one). */
function mentionsIn(cid, text) {
    const picks = mentionPicks.get(cid);
    if (!picks) return [];
    return [...new Set([...picks].filter(([label]) => text.includes(label)).map(([, id]) => id))];
}

function autoGrow(el) {
    el.style.height = 'auto';
    el.style.height = Math.min(el.scrollHeight, 160) + 'px';
}

async function submitComposer() {
    const input = $('#composer-text');
    const cid = input.dataset.cid;
    if (cid !== S.active) return;
    const text = input.value.trim();
    if (S.editing != null) {
        const seq = S.editing;
        if (!text) return;
        try {
            await session.api('PUT', '/api/conversations/' + cid + '/messages/' + seq, {text});
            S.editing = null;
            input.value = S.drafts[cid] || '';
            renderComposer();
        } catch (e) {
            failed('Could not edit', e);
        }
        return;
    }
    if (!text) return;
    const mentions = mentionsIn(cid, text);
    mentionPicks.delete(cid);
    const item = {clientMessageId: crypto.randomUUID(), conversationId: cid, text, replyTo: S.reply, mentions, state: 'pending', createdAt: Date.now()};
    S.outbox.push(item);
    saveOutbox();
    S.reply = null;
    input.value = '';
    delete S.drafts[cid];
    saveDrafts();
    sendTyping(cid, false);
    renderComposer();
    $('#composer-text').focus();
    renderTimeline('bottom');
    flushOutbox();
}

async function sendFile(file) {
    const cid = S.active;
    if (!cid) return;
    const kind = file.type.startsWith('image/') ? 'IMAGE' : file.type.startsWith('video/') ? 'VIDEO' : 'DOCUMENT';
    const item = {clientMessageId: crypto.randomUUID(), conversationId: cid, text: '', replyTo: S.reply, state: 'uploading', progress: 0, file,
        media: {kind, fileName: file.name || 'pasted image', size: file.size, contentType: file.type, localUrl: kind === 'IMAGE' ? URL.createObjectURL(file) : null}};
    S.reply = null;
    S.outbox.push(item);
    renderComposer();
    renderTimeline('bottom');
    await uploadItem(item);
}

async function uploadItem(item) {
    item.state = 'uploading';
    item.error = null;
    const rerender = () => { if (S.active === item.conversationId) renderTimeline('keep'); };
    let last = 0;
    try {
        const media = await session.upload(item.file, (p) => {
            item.progress = p;
            const bar = document.querySelector(`li[data-cmid="${item.clientMessageId}"] progress`);
            if (bar) bar.value = p; else if (Date.now() - last > 200) { last = Date.now(); rerender(); }
        });
        item.mediaId = media.id;
        item.media = {...item.media, mediaId: media.id, kind: media.kind, size: media.size, width: media.width, height: media.height,
            fileName: media.name || item.media.fileName, hasThumbnail: !!media.thumbnailUrl, contentType: media.type};
        item.state = 'pending';
        saveOutbox();
        rerender();
        flushOutbox();
    } catch (e) {
        item.state = 'failed';
        item.error = e.message;
        rerender();
    }
}

// ------------------------------------------------------------------ outbox: same clientMessageId on every try

const inFlight = new Map();   // clientMessageId -> time sent

function flushOutbox() {
    if (!S.client || !S.client.connected) return;
    for (const item of S.outbox) {
        if (item.state !== 'pending') continue;
        const sent = inFlight.get(item.clientMessageId);
        if (sent && Date.now() - sent < 15000) continue;
        const body = {conversationId: item.conversationId, clientMessageId: item.clientMessageId};
        if (item.text) body.text = item.text;
        if (item.replyTo != null) body.replyTo = item.replyTo;
        if (item.mediaId) body.mediaId = item.mediaId;
        if (item.mentions && item.mentions.length) body.mentions = item.mentions;
        if (publish('/app/messages.send', body)) inFlight.set(item.clientMessageId, Date.now());
    }
}
// an ack lost with its socket: the next try (same clientMessageId) is answered with the stored result
setInterval(flushOutbox, 5000);

function retryOutbox(item) {
    if (item.file && !item.mediaId) { uploadItem(item); return; }
    item.state = 'pending';
    item.error = null;
    inFlight.delete(item.clientMessageId);
    saveOutbox();
    renderTimeline('keep');
    flushOutbox();
}

function discardOutbox(item) {
    S.outbox = S.outbox.filter((o) => o !== item);
    saveOutbox();
    renderTimeline('keep');
}

function onAck(ack) {
    const item = S.outbox.find((o) => o.clientMessageId === ack.clientMessageId);
    inFlight.delete(ack.clientMessageId);
    if (ack.error) {
        if (item) {
            item.state = 'failed';
            item.error = ack.error.detail || ack.error.type;
            saveOutbox();
        }
        if (S.active === ack.conversationId) renderTimeline('keep');
        else failed('A message was not sent', new Error(ack.error.detail || ack.error.type));
        return;
    }
    if (!item) return;
    S.outbox = S.outbox.filter((o) => o !== item);
    saveOutbox();
    const c = S.conversations.get(ack.conversationId);
    const tl = S.timelines.get(ack.conversationId);
    const entry = {kind: 'MESSAGE', conversationId: ack.conversationId, seq: ack.seq, messageId: ack.messageId, clientMessageId: ack.clientMessageId,
        senderId: S.me.id, type: item.media ? item.media.kind : 'TEXT', text: item.text, media: item.media && {...item.media, localUrl: undefined},
        replyTo: item.replyTo, sentAt: ack.sentAt, mentions: ack.mentions};
    // the stored message takes the pending one's place at once; its live frame (same seq) changes nothing
    if (tl && !tl.entries.has(ack.seq)) tl.entries.set(ack.seq, entry);
    if (c && (!c.lastMessage || c.lastMessage.seq <= ack.seq)) {
        c.lastMessage = {seq: ack.seq, senderId: S.me.id, type: entry.type, text: entry.text, sentAt: ack.sentAt};
        c.lastActivityAt = ack.sentAt;
    }
    renderInbox();
    if (S.active === ack.conversationId) renderTimeline('keep');
}

// ------------------------------------------------------------------ live connection

function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const client = new StompJs.Client({
        brokerURL: scheme + location.host + '/ws',
        heartbeatIncoming: 10000, heartbeatOutgoing: 10000,
        reconnectDelay: 1000, maxReconnectDelay: 30000, reconnectTimeMode: StompJs.ReconnectionTimeMode.EXPONENTIAL,
    });
    client.beforeConnect = async () => {
        setConnection(navigator.onLine === false ? 'offline' : 'connecting');
        try {
            client.connectHeaders = {Authorization: 'Bearer ' + await session.freshToken()};
        } catch (e) {
            if (e instanceof session.SessionEnded) { client.deactivate(); endSession(e.message); }
        }
    };
    client.onConnect = () => {
        if (S.client !== client) return;
        setConnection('online');
        client.subscribe('/user/queue/messages', (f) => onEntry(JSON.parse(f.body), true));
        client.subscribe('/user/queue/acks', (f) => onAck(JSON.parse(f.body)));
        client.subscribe('/user/queue/receipts', (f) => onReceipt(JSON.parse(f.body)));
        client.subscribe('/user/queue/typing', (f) => onTyping(JSON.parse(f.body)));
        client.subscribe('/user/queue/presence', (f) => onPresence(JSON.parse(f.body)));
        client.subscribe('/user/queue/errors', (f) => onServerError(JSON.parse(f.body)));
        // whatever happened while we were away, then what we could not send
        sync().then(() => { inFlight.clear(); flushOutbox(); });
        publish('/app/presence.ping', {});
    };
    client.onWebSocketClose = () => { if (S.client === client) setConnection(navigator.onLine === false ? 'offline' : 'connecting'); };
    client.onStompError = (frame) => {
        const message = frame.headers.message || 'connection error';
        // an expired or refused token: the next attempt connects with a fresh one (beforeConnect)
        if (/token-expired|unauthorized/.test(message)) session.refresh().catch((e) => failed('Signed out', e));
        else toast('Connection: ' + message);
    };
    S.client = client;
    client.activate();
}

// The browser knows first when the network goes: drop the socket at once (so sends wait in the outbox, shown
// pending) and reconnect at once when it is back, without waiting out the backoff.
window.addEventListener('offline', () => { if (S.client) { setConnection('offline'); S.client.forceDisconnect(); } });
window.addEventListener('online', async () => {
    const client = S.client;
    if (!client || client.connected) return;
    await client.deactivate();
    if (S.client === client) client.activate();
});

setInterval(() => { if (visible() && S.client && S.client.connected) publish('/app/presence.ping', {}); }, 50000);

function publish(destination, body) {
    if (S.client && S.client.connected) {
        S.client.publish({destination, body: JSON.stringify(body), headers: {'content-type': 'application/json'}});
        return true;
    }
    return false;
}

function onServerError(err) {
    const type = (err.type || '').replace(/.*\//, '');
    if (type === 'rate-limited' && (err.destination || '').includes('typing')) return;
    toast((err.detail || type || 'Server error'));
}

let syncing = null;
let syncAgain = false;
async function sync() {
    if (syncing) { syncAgain = true; return syncing; }
    syncing = (async () => {
        do {
            syncAgain = false;
            try {
                let more = true;
                while (more) {
                    const since = {};
                    for (const c of S.conversations.values()) since[c.id] = c.held || 0;
                    const answer = await session.api('POST', '/api/sync', {since, limit: 500});
                    let unknown = false;
                    for (const conv of answer.conversations) {
                        let c = S.conversations.get(conv.id);
                        if (!c) {
                            unknown = true;
                            c = {id: conv.id, type: conv.type, title: conv.title, members: conv.members, held: 0, unreadCount: 0,
                                watermarks: new Map(), lastSeq: 0, removed: conv.removed};
                            S.conversations.set(conv.id, c);
                        }
                        if (conv.members) c.members = conv.members;
                        c.removed = conv.removed;
                        for (const e of conv.entries) onEntry(e, false);
                        c.held = Math.max(c.held || 0, conv.upToSeq || 0);
                    }
                    more = answer.hasMore && answer.conversations.some((x) => x.entries.length);
                    if (unknown) await loadInbox();
                }
            } catch (e) {
                failed('Could not catch up', e, sync);
            }
        } while (syncAgain);
        syncing = null;
        scheduleRender();
    })();
    return syncing;
}

function onEntry(e, live) {
    if (e.kind === 'MEMBERSHIP' && e.action === 'CREATED' && !S.conversations.has(e.conversationId)) { loadInbox(); return; }
    const c = S.conversations.get(e.conversationId);
    if (!c) { sync(); return; }
    if (e.seq <= (c.held || 0)) return;                         // already applied
    if (live && e.seq > (c.held || 0) + 1) { sync(); return; }  // a frame was missed: fetch in order instead
    c.held = e.seq;
    c.lastSeq = Math.max(c.lastSeq || 0, e.seq);
    const tl = S.timelines.get(c.id);
    const active = S.active === c.id;
    const sc = $('#timeline');
    const readerAtBottom = active && sc && isAtBottom(sc);
    switch (e.kind) {
        case 'MESSAGE': {
            if (tl) tl.entries.set(e.seq, e);
            // our own message sent from this device (ack lost) or another one: no longer pending here
            const pending = S.outbox.find((o) => o.clientMessageId === e.clientMessageId && e.senderId === S.me.id);
            if (pending) { S.outbox = S.outbox.filter((o) => o !== pending); saveOutbox(); }
            c.lastMessage = {seq: e.seq, senderId: e.senderId, type: e.type, text: e.text, sentAt: e.sentAt};
            c.lastActivityAt = e.sentAt;
            if (e.senderId !== S.me.id) {
                clearTyping(c.id, e.senderId);
                ackDelivered(c.id, e.seq);
                if (!(active && visible())) {
                    c.unreadCount = (c.unreadCount || 0) + 1;
                    if ((e.mentions || []).includes(S.me.id)) c.mentioned = true;
                    notify(c, e);
                }
                else if (!readerAtBottom && tl) tl.newWhileAway++;
            }
            break;
        }
        case 'EDIT': case 'DELETE': case 'REACTION': {
            const target = tl && tl.entries.get(e.messageSeq);
            if (target) {
                if (e.kind === 'EDIT') { target.text = e.text; target.editedAt = e.at; }
                if (e.kind === 'DELETE') { target.deleted = true; target.text = null; target.media = null; target.reactions = null; }
                if (e.kind === 'REACTION') {
                    target.reactions = {...(target.reactions || {})};
                    if (e.emoji) target.reactions[e.memberId] = e.emoji; else delete target.reactions[e.memberId];
                }
            }
            if (c.lastMessage && c.lastMessage.seq === e.messageSeq) {
                if (e.kind === 'EDIT') c.lastMessage.text = e.text;
                if (e.kind === 'DELETE') { c.lastMessage.deleted = true; c.lastMessage.text = null; }
            }
            break;
        }
        case 'MEMBERSHIP': {
            if (tl) tl.entries.set(e.seq, e);
            c.lastActivityAt = e.at || c.lastActivityAt;
            const members = c.members || [];
            if (e.action === 'ADDED' && !members.some((m) => m.userId === e.memberId)) c.members = [...members, {userId: e.memberId, role: 'MEMBER'}];
            if (e.action === 'REMOVED' || e.action === 'LEFT') {
                c.members = members.filter((m) => m.userId !== e.memberId);
                if (e.memberId === S.me.id) c.removed = true;
            }
            if (e.action === 'ADMIN_GRANTED') c.members = members.map((m) => m.userId === e.memberId ? {...m, role: 'ADMIN'} : m);
            if (e.action === 'RENAMED') c.title = e.title;
            if (active) { renderHeader(); renderComposer(); }
            break;
        }
        default:
    }
    if (active && tl && live) {
        renderTimeline(e.kind === 'MESSAGE' && e.senderId === S.me.id ? 'bottom' : 'keep');
        if (e.kind === 'MESSAGE' && e.senderId !== S.me.id && readerAtBottom) markRead();
    } else if (active && tl) scheduleRender();
    renderInboxSoon();
}

const renderInboxSoon = debounce(() => renderInbox(), 30);

const deliveredAcks = new Map();
const flushDelivered = debounce(() => {
    for (const [cid, seq] of deliveredAcks) publish('/app/receipts.delivered', {conversationId: cid, upToSeq: seq});
    deliveredAcks.clear();
}, 200);

function ackDelivered(cid, seq) {
    if (!seq) return;
    deliveredAcks.set(cid, Math.max(deliveredAcks.get(cid) || 0, seq));
    flushDelivered();
}

function markRead() {
    const c = S.conversations.get(S.active);
    if (!c || !visible() || S.view !== 'chats') return;
    const tl = S.timelines.get(c.id);
    if (!tl) return;
    const sc = $('#timeline');
    if (sc && !isAtBottom(sc) && tl.newWhileAway) return;
    const upTo = Math.max(0, ...[...tl.entries.values()].filter((e) => e.senderId && e.senderId !== S.me.id).map((e) => e.seq));
    if (upTo > 0 && !c.removed) {
        if (!publish('/app/receipts.read', {conversationId: c.id, upToSeq: upTo})) {
            session.api('POST', '/api/conversations/' + c.id + '/receipts/read', {upToSeq: upTo}).catch(() => {});
        }
    }
    if (c.unreadCount || c.mentioned) { c.unreadCount = 0; c.mentioned = false; renderInbox(); }
}

document.addEventListener('visibilitychange', () => { if (visible()) markRead(); });

function onReceipt(r) {
    const c = S.conversations.get(r.conversationId);
    if (!c) return;
    if (r.userId === S.me.id) {
        // read on another of my devices: clear the badge here too
        if (r.kind === 'READ') { c.unreadCount = Math.min(c.unreadCount || 0, Math.max(0, (c.lastSeq || 0) - r.upToSeq)); renderInbox(); }
        return;
    }
    raiseWatermark(c, r.userId, r.kind, r.upToSeq);
    if (S.active === c.id) renderTimeline('keep');
}

function onTyping(t) {
    if (t.userId === S.me.id) return;
    if (t.typing) {
        const map = S.typing.get(t.conversationId) || new Map();
        clearTimeout(map.get(t.userId));
        map.set(t.userId, setTimeout(() => clearTyping(t.conversationId, t.userId), 6000));
        S.typing.set(t.conversationId, map);
    } else clearTyping(t.conversationId, t.userId);
    renderInboxSoon();
    if (S.active === t.conversationId) renderHeader();
}

function clearTyping(cid, userId) {
    const map = S.typing.get(cid);
    if (!map || !map.has(userId)) return;
    clearTimeout(map.get(userId));
    map.delete(userId);
    renderInboxSoon();
    if (S.active === cid) renderHeader();
}

const typingSent = new Map();
function sendTyping(cid, typing) {
    const last = typingSent.get(cid) || 0;
    if (typing && Date.now() - last < 2500) return;
    if (!typing && !last) return;
    typingSent.set(cid, typing ? Date.now() : 0);
    publish('/app/typing', {conversationId: cid, typing});
}

function onPresence(p) {
    S.presence.set(p.userId, p);
    renderHeader();
}

function notify(c, e) {
    // a mention overrides mute, as the server's push does
    if (visible() || !('Notification' in window) || Notification.permission !== 'granted') return;
    if (c.muted && !(e.mentions || []).includes(S.me.id)) return;
    const n = new Notification(titleOf(c), {body: (c.type === 'GROUP' ? nameOf(e.senderId) + ': ' : '') + (e.text || MEDIA_WORD[e.type] || ''), tag: c.id});
    n.onclick = () => { window.focus(); openChat(c.id); n.close(); };
}

// ------------------------------------------------------------------ dialogs: new chat, groups, info, privacy

function dialog(title, body, {onclose} = {}) {
    const d = h('dialog.dialog', {'aria-label': title},
        h('header.bar', {}, h('h2', {}, title), h('button.icon', {type: 'button', 'aria-label': 'Close', onclick: () => d.close()}, '✕')), body);
    d.addEventListener('close', () => { d.remove(); if (onclose) onclose(); });
    document.body.append(d);
    d.showModal();
    return d;
}

async function findUser(handle) {
    handle = handle.trim().replace(/^@/, '').toLowerCase();
    try {
        return await session.api('GET', '/api/users/by-handle/' + encodeURIComponent(handle));
    } catch (e) {
        if (e.status === 404) throw new Error('No one has the handle @' + handle);
        throw e;
    }
}

/**
 * A people picker on a text input (a combobox: the suggestions are a listbox the arrow keys walk, Enter or a
 * click picks, Escape closes): GET /api/users?query= with the word being typed, the handle or the start of a
 * display name. `term` reads the word being typed from the input (the whole value by default).
 */
function peoplePicker(input, {onPick, term = (v) => v, exclude = () => new Set()}) {
    const list = h('ul.suggestions', {id: input.id + '-suggestions', role: 'listbox', hidden: true, 'aria-label': 'People found'});
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    input.autocomplete = 'off';
    let people = [];
    let current = -1;
    let asked = 0;
    const show = () => {
        list.hidden = !people.length;
        input.setAttribute('aria-expanded', String(!list.hidden));
        list.replaceChildren(...people.map((p, i) => h('li.suggestion' + (i === current ? '.current' : ''), {
            id: list.id + '-' + i, role: 'option', 'aria-selected': String(i === current), dataset: {handle: p.handle},
            onmousedown: (e) => { e.preventDefault(); pick(i); }},
            avatar(p.displayName, p.id), h('span.person', {}, h('span', {}, p.displayName), h('span.sub', {}, '@' + p.handle)))));
        if (current >= 0) input.setAttribute('aria-activedescendant', list.id + '-' + current); else input.removeAttribute('aria-activedescendant');
    };
    const close = () => { people = []; current = -1; show(); };
    const pick = (i) => {
        const p = people[i];
        if (!p) return;
        S.names.set(p.id, {displayName: p.displayName, handle: p.handle});
        close();
        onPick(p);
    };
    const lookUp = debounce(async () => {
        const q = term(input.value).trim().replace(/^@/, '');
        const mine = ++asked;
        if (!q) { close(); return; }
        try {
            const found = await session.api('GET', '/api/users?query=' + encodeURIComponent(q));
            if (mine !== asked) return;
            const skip = exclude();
            people = found.filter((p) => !skip.has(p.id));
            current = people.length ? 0 : -1;
            show();
        } catch (e) {
            if (mine === asked) close();
        }
    }, 200);
    input.addEventListener('input', lookUp);
    input.addEventListener('blur', () => setTimeout(close, 150));
    input.addEventListener('keydown', (e) => {
        if (list.hidden) return;
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            current = (current + (e.key === 'ArrowDown' ? 1 : -1) + people.length) % people.length;
            show();
        } else if (e.key === 'Enter' && current >= 0) {
            e.preventDefault();
            pick(current);
        } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            close();
        }
    });
    return list;
}

function newChatDialog() {
    const error = h('p.error', {role: 'alert'});
    const input = h('input', {id: 'peer-handle', placeholder: 'a name or handle, e.g. Ann or ann', required: true, autocapitalize: 'none', 'aria-label': 'Name or handle'});
    const start = async (user) => {
        error.textContent = '';
        try {
            if (!user) user = await findUser(input.value);
            if (user.id === S.me.id) throw new Error('That is you');
            S.names.set(user.id, {displayName: user.displayName, handle: user.handle});
            const created = await session.api('POST', '/api/conversations', {type: 'DIRECT', peerId: user.id});
            d.close();
            await adoptConversation(created);
        } catch (e) {
            error.textContent = e.message;
        }
    };
    const suggestions = peoplePicker(input, {onPick: (p) => { input.value = p.handle; start(p); }});
    const d = dialog('New chat', h('form.stack', {onsubmit: (ev) => { ev.preventDefault(); start(null); }},
        h('label.field', {}, 'Start a chat with', input), suggestions, h('button.primary', {type: 'submit', id: 'start-chat-button'}, 'Start chat'),
        h('button.link', {type: 'button', onclick: () => { d.close(); newGroupDialog(); }}, '👥 New group instead'), error));
    input.focus();
}

// The answer of POST /api/conversations is the conversation: use it at once, never wait for the inbox view.
async function adoptConversation(created) {
    let c = S.conversations.get(created.id);
    if (!c) {
        c = {id: created.id, type: created.type, title: created.title, members: created.members, held: 0, unreadCount: 0,
            lastActivityAt: new Date().toISOString(), createdAt: created.createdAt || new Date().toISOString(), watermarks: new Map(), lastSeq: 0};
        S.conversations.set(c.id, c);
    } else c.members = created.members;
    renderInbox();
    await openChat(c.id);
}

function newGroupDialog() {
    const error = h('p.error', {role: 'alert'});
    const title = h('input', {id: 'group-title', required: true, maxlength: 100, 'aria-label': 'Group name'});
    const members = h('input', {id: 'group-members', placeholder: 'names or handles, separated by commas', 'aria-label': 'Members', autocapitalize: 'none'});
    // people picked from the suggestions; what is still typed is read as handles on submit
    const picked = new Map();
    const chips = h('div.chips', {id: 'group-picked', 'aria-live': 'polite'});
    const renderChips = () => chips.replaceChildren(...[...picked.values()].map((p) => h('span.chip', {dataset: {id: p.id}}, p.displayName,
        h('button.icon', {type: 'button', 'aria-label': 'Remove ' + p.displayName, onclick: () => { picked.delete(p.id); renderChips(); }}, '✕'))));
    const lastTerm = (v) => v.split(',').pop();
    const suggestions = peoplePicker(members, {term: lastTerm, exclude: () => new Set([S.me.id, ...picked.keys()]),
        onPick: (p) => {
            picked.set(p.id, p);
            const parts = members.value.split(',');
            parts.pop();
            members.value = parts.length ? parts.join(',') + ', ' : '';
            renderChips();
            members.focus();
        }});
    const d = dialog('New group', h('form.stack', {onsubmit: async (ev) => {
        ev.preventDefault();
        error.textContent = '';
        try {
            const handles = members.value.split(/[\s,]+/).filter(Boolean);
            const users = [...picked.values(), ...await Promise.all(handles.map(findUser))];
            if (!users.length) throw new Error('Pick at least one member');
            for (const u of users) S.names.set(u.id, {displayName: u.displayName, handle: u.handle});
            const created = await session.api('POST', '/api/conversations', {type: 'GROUP', title: title.value.trim(),
                memberIds: [...new Set(users.map((u) => u.id))].filter((id) => id !== S.me.id)});
            d.close();
            await adoptConversation(created);
        } catch (e) {
            error.textContent = e.message;
        }
    }}, h('label.field', {}, 'Group name', title), h('label.field', {}, 'Members', members), suggestions, chips,
        h('button.primary', {type: 'submit', id: 'create-group-button'}, 'Create group'), error));
    title.focus();
}

function infoDialog(c) {
    const error = h('p.error', {role: 'alert'});
    const amAdmin = (c.members || []).some((m) => m.userId === S.me.id && m.role === 'ADMIN');
    const act = async (what, call) => {
        error.textContent = '';
        try { await call(); await loadMembers(c); d.close(); infoDialog(c); renderHeader(); } catch (e) { error.textContent = what + ': ' + e.message; }
    };
    const path = '/api/conversations/' + c.id;
    const people = h('ul.people', {id: 'members'}, ...(c.members || []).map((m) => h('li', {},
        avatar(nameOf(m.userId), m.userId),
        h('span.person', {}, h('span', {}, nameOf(m.userId)), h('span.sub', {}, (S.names.get(m.userId) || {}).handle ? '@' + S.names.get(m.userId).handle : '')),
        m.role === 'ADMIN' && h('span.badge-role', {}, 'admin'),
        c.type === 'GROUP' && amAdmin && m.userId !== S.me.id && !c.removed && h('span.actions', {},
            m.role !== 'ADMIN' && h('button.link', {type: 'button', onclick: () => act('Could not make admin', () => session.api('POST', path + '/admins', {userId: m.userId}))}, 'Make admin'),
            h('button.link.danger', {type: 'button', 'aria-label': 'Remove ' + nameOf(m.userId), onclick: () => act('Could not remove', () => session.api('DELETE', path + '/members/' + m.userId))}, 'Remove')))));
    const body = h('div.stack', {});
    if (c.type === 'DIRECT') {
        const p = S.presence.get(peerOf(c));
        body.append(h('p', {}, p && p.online ? 'online' : p && p.lastSeenAt ? 'last seen ' + lastSeen(p.lastSeenAt) : ''), people);
    } else {
        if (amAdmin && !c.removed) {
            const name = h('input', {id: 'rename-input', value: c.title || '', 'aria-label': 'Group name', maxlength: 100});
            body.append(h('form.row', {onsubmit: (ev) => { ev.preventDefault(); act('Could not rename', () => session.api('PUT', path + '/title', {text: name.value.trim()})); }},
                name, h('button.primary', {type: 'submit', id: 'rename-button'}, 'Rename')));
            const add = h('input', {id: 'add-member-input', placeholder: 'a name or handle', 'aria-label': 'Add member by name or handle', autocapitalize: 'none'});
            const addUser = (chosen) => act('Could not add', async () => {
                const u = chosen || await findUser(add.value);
                S.names.set(u.id, {displayName: u.displayName, handle: u.handle});
                await session.api('POST', path + '/members', {userId: u.id});
            });
            const suggestions = peoplePicker(add, {onPick: addUser, exclude: () => new Set((c.members || []).map((m) => m.userId))});
            body.append(h('form.row', {onsubmit: (ev) => { ev.preventDefault(); addUser(null); }}, add, h('button.primary', {type: 'submit', id: 'add-member-button'}, 'Add')), suggestions);
        }
        body.append(h('h3', {}, (c.members || []).length + ' members'), people);
        if (!c.removed) body.append(h('button.danger', {type: 'button', id: 'leave-button', onclick: () => {
            if (confirm('Leave this group?')) act('Could not leave', () => session.api('DELETE', path + '/members/' + S.me.id));
        }}, 'Leave group'));
    }
    body.append(error);
    const d = dialog(titleOf(c), body);
}

function privacyDialog() {
    const error = h('p.error', {role: 'alert'});
    const select = h('select', {id: 'last-seen', 'aria-label': 'Who sees my last seen'},
        ...['EVERYONE', 'CONTACTS', 'NOBODY'].map((v) => h('option', {value: v, selected: S.me.lastSeen === v}, v.charAt(0) + v.slice(1).toLowerCase())));
    const d = dialog('Privacy', h('form.stack', {onsubmit: async (ev) => {
        ev.preventDefault();
        try {
            await session.api('PUT', '/api/me/privacy', {lastSeen: select.value});
            S.me.lastSeen = select.value;
            d.close();
        } catch (e) { error.textContent = e.message; }
    }}, h('label.field', {}, 'Who sees my last seen', select), h('p.sub', {}, 'If you hide yours, you do not see anyone’s.'),
        h('button.primary', {type: 'submit'}, 'Save'), error));
}

// ------------------------------------------------------------------ analyst and auditor views

async function openView(name) {
    S.view = name;
    const view = $('#view');
    view.hidden = false;
    $('#app').classList.add('view-open');
    const close = h('button.icon', {type: 'button', 'aria-label': 'Back to chats', id: 'close-view', onclick: () => {
        S.view = 'chats'; view.hidden = true; $('#app').classList.remove('view-open'); markRead();
    }}, '←');
    const module = await import('./dashboard.js');
    (name === 'analytics' ? module.analytics : module.audit)(view, close, {api: session.api, toast, nameOf});
}

// ------------------------------------------------------------------ start

async function start() {
    if (!session.signedIn()) { renderAuth(); return; }
    try {
        await boot();
        const id = location.hash.slice(1);
        if (id && S.conversations.has(id)) openChat(id);
    } catch (e) {
        if (e instanceof session.SessionEnded || e.status === 401) renderAuth('Your session has ended: sign in again');
        else {
            root.replaceChildren(h('main.auth', {}, h('div.card', {role: 'alert'}, h('h1', {}, 'Parley'),
                h('p', {}, 'Could not reach the server: ' + e.message), h('button.primary', {type: 'button', onclick: start}, 'Retry'),
                h('button.link', {type: 'button', onclick: () => signOut()}, 'Sign out'))));
        }
    }
}

start();
