// Small DOM helpers: every piece of user data goes in as text (textContent), never as HTML.

/** h('div.a.b', {onclick, 'aria-label': ...}, child, ...): an element; strings become text nodes. */
export function h(tag, props, ...children) {
    const [name, ...classes] = tag.split('.');
    const el = document.createElement(name || 'div');
    if (classes.length) el.className = classes.join(' ');
    for (const [k, v] of Object.entries(props || {})) {
        if (v == null || v === false) continue;
        if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
        else if (k in el && typeof v !== 'string') el[k] = v;
        else el.setAttribute(k, v === true ? '' : v);
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children) {
        if (c == null || c === false) continue;
        if (Array.isArray(c)) append(el, c);
        else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
}

export const $ = (sel, root = document) => root.querySelector(sel);

export function initials(name) {
    const words = (name || '?').trim().split(/\s+/).filter(Boolean);
    const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] || '?'];
    return letters.map((w) => [...w][0].toUpperCase()).join('');
}

/** A stable hue per user id: sender names and avatars keep their colour everywhere. */
export function hue(id) {
    let x = 0;
    for (const ch of id || '') x = (x * 31 + ch.charCodeAt(0)) >>> 0;
    return x % 360;
}

export function avatar(name, id, size = '') {
    return h('span.avatar' + (size ? '.' + size : ''), {'aria-hidden': 'true', style: `--hue:${hue(id)}`}, initials(name));
}

export function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'}) : '';
}

export function dayLabel(iso) {
    const d = new Date(iso);
    const today = new Date();
    const yesterday = new Date(Date.now() - 86400000);
    if (d.toDateString() === today.toDateString()) return 'Today';
    if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
    return d.toLocaleDateString([], {weekday: 'long', day: 'numeric', month: 'long', year: 'numeric'});
}

/** The inbox's time column: the time today, the weekday this week, else the date. */
export function shortWhen(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (d.toDateString() === new Date().toDateString()) return time(iso);
    if (Date.now() - d.getTime() < 6 * 86400000) return d.toLocaleDateString([], {weekday: 'short'});
    return d.toLocaleDateString();
}

export function fileSize(bytes) {
    if (bytes == null) return '';
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(0) + ' KB';
    return (bytes / 1024 / 1024).toFixed(1) + ' MB';
}

export const MEDIA_ICON = {IMAGE: '📷', VIDEO: '🎥', DOCUMENT: '📄'};
export const MEDIA_WORD = {IMAGE: 'Photo', VIDEO: 'Video', DOCUMENT: 'Document'};

/**
 * Search highlights come HTML-escaped with <em> marks: parse them in an inert document and keep only text and
 * <em>, so nothing a sender wrote can become markup.
 */
export function highlighted(html) {
    const doc = new DOMParser().parseFromString('<p>' + (html || '') + '</p>', 'text/html');
    const out = h('span');
    for (const node of doc.body.firstChild.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) out.append(node.textContent);
        else if (node.nodeName === 'EM') out.append(h('mark', {}, node.textContent));
        else out.append(node.textContent);
    }
    return out;
}
