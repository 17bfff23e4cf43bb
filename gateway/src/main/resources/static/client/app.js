// Parley web client: plain JavaScript over the documented API (REST + STOMP over WebSocket).
// State lives here; the server is the source of truth, and on every (re)connect the client syncs what it
// missed by seq, so live frames are only a fast path and duplicates are dropped by seq.
'use strict';

const state = {
    token: null, refreshToken: null, refreshTimer: null, me: null, stomp: null,
    conversations: new Map(),   // id -> inbox entry
    active: null,               // conversation id
    entries: new Map(),         // seq -> timeline entry of the active conversation
    peerWatermarks: new Map(),  // userId -> {delivered, read} for the active conversation
    names: new Map(),           // userId -> display name
    typingTimer: null, lastTypingSent: 0,
};

const $ = (id) => document.getElementById(id);

async function api(method, path, body, isForm) {
    const headers = {};
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    if (body && !isForm) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {method, headers, body: isForm ? body : body ? JSON.stringify(body) : undefined});
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
        const error = new Error((json && json.detail) || response.statusText);
        error.status = response.status;
        error.problem = json;
        throw error;
    }
    return json;
}

function showError(where, error) {
    $(where).textContent = error ? (error.message || String(error)) : '';
}

// ---------------------------------------------------------------- sign-in

async function signIn(event) {
    event && event.preventDefault();
    showError('auth-error');
    try {
        const tokens = await api('POST', '/api/auth/token', {handle: $('handle').value, password: $('password').value});
        useTokens(tokens);
        state.me = await api('GET', '/api/me');
        $('auth').hidden = true;
        $('app').hidden = false;
        $('me').textContent = state.me.displayName + ' (@' + state.me.handle + ')';
        state.names.set(state.me.id, state.me.displayName);
        await loadConversations();
        connect();
    } catch (e) {
        showError('auth-error', e);
    }
}

// Access tokens are short-lived: renew with the refresh token before expiry, for REST and for the open STOMP
// session, which the server closes when its token expires unless it is renewed on /app/session.token.
function useTokens(tokens) {
    state.token = tokens.accessToken;
    state.refreshToken = tokens.refreshToken;
    clearTimeout(state.refreshTimer);
    const seconds = Math.max(5, Math.floor((tokens.expiresIn || 900) * 0.8));
    state.refreshTimer = setTimeout(refreshTokens, seconds * 1000);
    if (state.stomp) {
        state.stomp.connectHeaders = {Authorization: 'Bearer ' + state.token};
        publish('/app/session.token', {accessToken: state.token});
    }
}

async function refreshTokens() {
    try {
        useTokens(await api('POST', '/api/auth/refresh', {refreshToken: state.refreshToken}));
    } catch (e) {
        showError('app-error', new Error('signed out: ' + e.message));
    }
}

async function signUp() {
    showError('auth-error');
    try {
        await api('POST', '/api/accounts', {
            handle: $('handle').value, displayName: $('display-name').value || $('handle').value,
            password: $('password').value,
        });
        await signIn();
    } catch (e) {
        showError('auth-error', e);
    }
}

// ---------------------------------------------------------------- STOMP

function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const client = new StompJs.Client({
        brokerURL: scheme + location.host + '/ws',
        connectHeaders: {Authorization: 'Bearer ' + state.token},
        heartbeatIncoming: 10000, heartbeatOutgoing: 10000, reconnectDelay: 2000,
    });
    client.onConnect = () => {
        $('connection').textContent = 'online';
        client.subscribe('/user/queue/messages', (f) => onTimelineFrame(JSON.parse(f.body)));
        client.subscribe('/user/queue/acks', (f) => onAck(JSON.parse(f.body)));
        client.subscribe('/user/queue/receipts', (f) => onReceipt(JSON.parse(f.body)));
        client.subscribe('/user/queue/typing', (f) => onTyping(JSON.parse(f.body)));
        client.subscribe('/user/queue/presence', (f) => onPresence(JSON.parse(f.body)));
        client.subscribe('/user/queue/errors', (f) => showError('app-error', new Error(JSON.parse(f.body).detail || f.body)));
        // whatever happened while we were away: fetch it by seq
        loadConversations().then(() => state.active && loadHistory(state.active, true));
    };
    client.onWebSocketClose = () => { $('connection').textContent = 'offline'; };
    client.onStompError = (frame) => showError('app-error', new Error(frame.headers.message || 'STOMP error'));
    client.activate();
    state.stomp = client;
}

function publish(destination, body) {
    if (state.stomp && state.stomp.connected) {
        state.stomp.publish({destination, body: JSON.stringify(body)});
        return true;
    }
    return false;
}

// ---------------------------------------------------------------- conversations

async function loadConversations() {
    const list = await api('GET', '/api/conversations');
    state.conversations.clear();
    for (const c of list) state.conversations.set(c.id, c);
    renderConversations();
}

function renderConversations() {
    const ul = $('conversations');
    ul.replaceChildren();
    const sorted = [...state.conversations.values()].sort((a, b) => (b.lastActivityAt || '').localeCompare(a.lastActivityAt || ''));
    for (const c of sorted) {
        const li = document.createElement('li');
        li.dataset.id = c.id;
        li.className = c.id === state.active ? 'active' : '';
        const text = document.createElement('div');
        const title = document.createElement('div');
        title.className = 'title';
        title.textContent = c.title || 'Direct chat';
        const preview = document.createElement('div');
        preview.className = 'preview';
        preview.textContent = c.lastMessage ? (c.lastMessage.text || c.lastMessage.type) : '';
        text.append(title, preview);
        li.append(text);
        if (c.unreadCount > 0) {
            const badge = document.createElement('span');
            badge.className = 'unread';
            badge.textContent = c.unreadCount;
            li.append(badge);
        }
        li.onclick = () => openConversation(c.id);
        ul.append(li);
    }
}

async function openConversation(id) {
    state.active = id;
    state.entries.clear();
    state.peerWatermarks.clear();
    $('composer').hidden = false;
    const details = await api('GET', '/api/conversations/' + id);
    const others = details.members.filter((m) => m.userId !== state.me.id);
    $('conversation-title').textContent = details.title || 'Direct chat';
    $('presence').textContent = '';
    if (details.type === 'DIRECT' && others.length === 1) {
        refreshPresence(others[0].userId);
    }
    await loadHistory(id, false);
    renderConversations();
}

async function refreshPresence(userId) {
    try {
        const p = await api('GET', '/api/users/' + userId + '/presence');
        onPresence(p);
    } catch (e) { /* presence is best effort */ }
}

async function loadHistory(id, onlyNewer) {
    const known = [...state.entries.keys()];
    const after = onlyNewer && known.length ? Math.max(...known) : null;
    const page = await api('GET', '/api/conversations/' + id + '/messages' + (after != null ? '?after=' + after : '?limit=50'));
    for (const entry of page.messages) applyEntry(entry);
    renderMessages();
    markRead();
}

function applyEntry(entry) {
    if (entry.conversationId !== state.active) return;
    if (entry.kind === 'EDIT' || entry.kind === 'DELETE' || entry.kind === 'REACTION') {
        const target = state.entries.get(entry.messageSeq);
        if (target) {
            if (entry.kind === 'EDIT') { target.text = entry.text; target.editedAt = entry.at || entry.sentAt; }
            if (entry.kind === 'DELETE') { target.deleted = true; target.text = null; }
            if (entry.kind === 'REACTION') {
                target.reactions = target.reactions || {};
                if (entry.emoji) target.reactions[entry.memberId] = entry.emoji; else delete target.reactions[entry.memberId];
            }
        }
        return;
    }
    state.entries.set(entry.seq, entry);
}

function ticks(entry) {
    if (entry.senderId !== state.me.id) return '';
    const others = [...state.peerWatermarks.values()];
    if (others.length && others.every((w) => w.read >= entry.seq)) return '✓✓ read';
    if (others.length && others.every((w) => w.delivered >= entry.seq)) return '✓✓';
    return entry.pending ? '…' : '✓';
}

function renderMessages() {
    const ol = $('messages');
    ol.replaceChildren();
    const seqs = [...state.entries.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
        const e = state.entries.get(seq);
        const li = document.createElement('li');
        li.dataset.seq = seq;
        if (e.kind === 'MEMBERSHIP') {
            li.className = 'system';
            li.textContent = (e.action || '').toLowerCase().replace('_', ' ') + (e.title ? ': ' + e.title : '');
        } else {
            li.className = 'message' + (e.senderId === state.me.id ? ' mine' : '');
            const body = document.createElement('span');
            body.className = 'text';
            body.textContent = e.deleted ? 'This message was deleted' : (e.text || '');
            if (e.media && !e.deleted) {
                if (e.media.kind === 'IMAGE') {
                    const img = document.createElement('img');
                    img.alt = e.media.fileName || 'image';
                    loadMedia(img, '/api/media/' + e.media.mediaId + (e.media.hasThumbnail ? '/thumbnail' : ''));
                    li.append(img);
                } else {
                    const a = document.createElement('a');
                    a.textContent = (e.media.fileName || e.media.kind) + ' (' + Math.round(e.media.size / 1024) + ' KB)';
                    a.href = '#';
                    a.onclick = (ev) => { ev.preventDefault(); download(e.media); };
                    li.append(a);
                }
            }
            const meta = document.createElement('span');
            meta.className = 'meta';
            const t = ticks(e);
            meta.innerHTML = '';
            meta.textContent = (e.sentAt ? new Date(e.sentAt).toLocaleTimeString() : '') + (e.editedAt ? ' (edited)' : '');
            const tickSpan = document.createElement('span');
            tickSpan.className = 'ticks' + (t.includes('read') ? ' read' : '');
            tickSpan.textContent = t ? ' ' + t : '';
            meta.append(tickSpan);
            li.prepend(body);
            li.append(meta);
        }
        ol.append(li);
    }
    ol.scrollTop = ol.scrollHeight;
}

async function loadMedia(img, url) {
    const response = await fetch(url, {headers: {Authorization: 'Bearer ' + state.token}});
    if (response.ok) img.src = URL.createObjectURL(await response.blob());
}

async function download(media) {
    const response = await fetch('/api/media/' + media.mediaId, {headers: {Authorization: 'Bearer ' + state.token}});
    if (!response.ok) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await response.blob());
    a.download = media.fileName || 'download';
    a.click();
}

function highestSeqFromOthers() {
    let max = 0;
    for (const [seq, e] of state.entries) if (e.senderId && e.senderId !== state.me.id && seq > max) max = seq;
    return max;
}

function markRead() {
    const upTo = highestSeqFromOthers();
    if (state.active && upTo > 0 && document.visibilityState !== 'hidden') {
        publish('/app/receipts.read', {conversationId: state.active, upToSeq: upTo});
        const c = state.conversations.get(state.active);
        if (c) { c.unreadCount = 0; renderConversations(); }
    }
}

// ---------------------------------------------------------------- frames

function onTimelineFrame(frame) {
    const c = state.conversations.get(frame.conversationId);
    if (!c) {
        loadConversations();
    } else if (frame.kind === 'MESSAGE') {
        c.lastMessage = {seq: frame.seq, senderId: frame.senderId, type: frame.type, text: frame.text, sentAt: frame.sentAt};
        c.lastActivityAt = frame.sentAt;
        if (frame.senderId !== state.me.id && frame.conversationId !== state.active) c.unreadCount = (c.unreadCount || 0) + 1;
    }
    if (frame.kind === 'MESSAGE' && frame.senderId !== state.me.id) {
        publish('/app/receipts.delivered', {conversationId: frame.conversationId, upToSeq: frame.seq});
    }
    if (frame.conversationId === state.active) {
        // a pending copy of our own message is replaced by the stored one
        for (const [key, e] of state.entries) if (e.pending && e.clientMessageId === frame.clientMessageId) state.entries.delete(key);
        applyEntry(frame);
        renderMessages();
        if (frame.kind === 'MESSAGE' && frame.senderId !== state.me.id) markRead();
    }
    renderConversations();
}

function onAck(ack) {
    if (ack.error) {
        showError('app-error', new Error(ack.error.detail || ack.error.type));
        for (const [key, e] of state.entries) if (e.clientMessageId === ack.clientMessageId) state.entries.delete(key);
        renderMessages();
        return;
    }
    for (const [key, e] of state.entries) {
        if (e.pending && e.clientMessageId === ack.clientMessageId) {
            state.entries.delete(key);
            state.entries.set(ack.seq, {...e, seq: ack.seq, sentAt: ack.sentAt, pending: false});
        }
    }
    renderMessages();
}

function onReceipt(receipt) {
    if (receipt.conversationId === state.active && receipt.userId !== state.me.id) {
        const w = state.peerWatermarks.get(receipt.userId) || {delivered: 0, read: 0};
        if (receipt.kind === 'READ') { w.read = Math.max(w.read, receipt.upToSeq); w.delivered = Math.max(w.delivered, receipt.upToSeq); }
        else w.delivered = Math.max(w.delivered, receipt.upToSeq);
        state.peerWatermarks.set(receipt.userId, w);
        renderMessages();
    }
    if (receipt.userId === state.me.id && receipt.kind === 'READ') {
        // read on another of my devices: clear the badge here too
        const c = state.conversations.get(receipt.conversationId);
        if (c) { c.unreadCount = Math.max(0, (c.lastSeq || receipt.upToSeq) - receipt.upToSeq); renderConversations(); }
    }
}

function onTyping(t) {
    if (t.conversationId !== state.active || t.userId === state.me.id) return;
    $('typing').textContent = t.typing ? (state.names.get(t.userId) || 'Someone') + ' is typing…' : '';
    clearTimeout(state.typingTimer);
    if (t.typing) state.typingTimer = setTimeout(() => { $('typing').textContent = ''; }, 5000);
}

function onPresence(p) {
    $('presence').textContent = p.online ? 'online' : p.lastSeenAt ? 'last seen ' + new Date(p.lastSeenAt).toLocaleString() : '';
}

// ---------------------------------------------------------------- actions

async function send(event) {
    event.preventDefault();
    showError('app-error');
    const text = $('message-text').value.trim();
    const file = $('attachment').files[0];
    if (!state.active || (!text && !file)) return;
    const message = {conversationId: state.active, clientMessageId: crypto.randomUUID(), text};
    try {
        if (file) {
            const form = new FormData();
            form.append('file', file);
            const media = await api('POST', '/api/media', form, true);
            message.mediaId = media.id;
            $('attachment').value = '';
        }
    } catch (e) {
        showError('app-error', e);
        return;
    }
    const pendingSeq = Number.MAX_SAFE_INTEGER - state.entries.size;
    state.entries.set(pendingSeq, {kind: 'MESSAGE', conversationId: state.active, seq: pendingSeq, senderId: state.me.id,
        clientMessageId: message.clientMessageId, text, pending: true});
    renderMessages();
    if (!publish('/app/messages.send', message)) {
        // no socket: the REST path has the same idempotency by clientMessageId
        const result = await api('POST', '/api/conversations/' + state.active + '/messages', message);
        onAck({...result, clientMessageId: message.clientMessageId});
    }
    $('message-text').value = '';
}

function typing() {
    const now = Date.now();
    if (state.active && now - state.lastTypingSent > 2000) {
        state.lastTypingSent = now;
        publish('/app/typing', {conversationId: state.active, typing: true});
    }
}

async function newChat(event) {
    event.preventDefault();
    showError('app-error');
    try {
        const handles = $('peer-handle').value.split(',').map((h) => h.trim()).filter(Boolean);
        const ids = [];
        for (const h of handles) ids.push((await api('GET', '/api/users/by-handle/' + encodeURIComponent(h))).id);
        const title = $('group-title').value.trim();
        const created = ids.length === 1 && !title
            ? await api('POST', '/api/conversations', {type: 'DIRECT', peerId: ids[0]})
            : await api('POST', '/api/conversations', {type: 'GROUP', title: title || handles.join(', '), memberIds: ids});
        $('peer-handle').value = '';
        $('group-title').value = '';
        await loadConversations();
        await openConversation(created.id);
    } catch (e) {
        showError('app-error', e);
    }
}

document.addEventListener('DOMContentLoaded', () => {
    $('sign-in').addEventListener('submit', signIn);
    $('sign-up-button').addEventListener('click', signUp);
    $('composer').addEventListener('submit', send);
    $('message-text').addEventListener('input', typing);
    $('new-chat').addEventListener('submit', newChat);
    document.addEventListener('visibilitychange', markRead);
});
