// The signed-in session: tokens kept across reloads, refreshed before expiry, and every REST call.
//
// The refresh token is kept in localStorage so a reload keeps the session. The risk weighed: script running in
// the page could read it. The client renders all user data as text (no HTML from messages or names), the page
// loads no third-party script, and refresh tokens are one-time: a stolen token that is used ends the session
// for both (refresh-token-reused), and sign-out ends it on the server. Tabs share one session, so refreshing
// happens under a Web Lock and a tab adopts a pair another tab has already fetched.

const KEY = 'parley.session';
let tokens = load();
let timer = null;
const listeners = new Set();

function load() {
    try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
}

function save(next) {
    tokens = next;
    if (next) localStorage.setItem(KEY, JSON.stringify(next)); else localStorage.removeItem(KEY);
    schedule();
    for (const l of listeners) l(next);
}

/** Called with the new token pair after every refresh (the live connection renews itself with it). */
export function onTokens(listener) { listeners.add(listener); }

export const signedIn = () => !!(tokens && tokens.refreshToken);
export const accessToken = () => tokens && tokens.accessToken;

function adopt(answer) {
    save({accessToken: answer.accessToken, refreshToken: answer.refreshToken,
        expiresAt: Date.now() + (answer.expiresIn || 900) * 1000, lifetime: (answer.expiresIn || 900) * 1000});
}

// Renew at 80 % of the access token's lifetime, so neither REST nor the STOMP session ever meets an expired one.
function schedule() {
    clearTimeout(timer);
    if (!tokens) return;
    const due = tokens.expiresAt - 0.2 * (tokens.lifetime || 900000) - Date.now();
    timer = setTimeout(() => refresh().catch(() => {}), Math.max(1000, due));
}

export class ApiError extends Error {
    constructor(status, problem, fallback) {
        super((problem && (problem.detail || problem.title)) || fallback || ('HTTP ' + status));
        this.status = status;
        this.problem = problem;
        this.type = problem && problem.type ? problem.type.replace(/.*\//, '') : null;
    }
}

export class SessionEnded extends Error {}

let refreshing = null;

/** A new token pair, once for all callers at the same moment and for all tabs. */
export function refresh() {
    if (!refreshing) {
        const held = tokens && tokens.refreshToken;
        const run = async () => {
            const stored = load();
            if (stored && stored.refreshToken && stored.refreshToken !== held && stored.expiresAt > Date.now() + 5000) {
                save(stored);   // another tab refreshed already: its pair is the live one
                return;
            }
            if (!held) throw new SessionEnded('Signed out');
            const response = await fetch('/api/auth/refresh', {method: 'POST', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({refreshToken: held})});
            const body = await readBody(response);
            if (response.status === 401) {
                save(null);
                throw new SessionEnded((body && body.detail) || 'Your session has ended: sign in again');
            }
            if (!response.ok) throw new ApiError(response.status, body);
            adopt(body);
        };
        const locked = navigator.locks ? navigator.locks.request('parley-refresh', run) : run();
        refreshing = locked.finally(() => { refreshing = null; });
    }
    return refreshing;
}

async function readBody(response) {
    const text = await response.text();
    if (!text) return null;
    try { return JSON.parse(text); } catch { return {detail: text.slice(0, 200)}; }
}

/**
 * A token valid for a while yet (refreshing first when it is not): at least 10 s, or a fifth of its lifetime
 * when that is shorter (a short-lived token would otherwise be refreshed on every call).
 */
export async function freshToken() {
    if (!tokens) throw new SessionEnded('Signed out');
    if (tokens.expiresAt < Date.now() + Math.min(10000, 0.2 * (tokens.lifetime || 900000))) await refresh();
    return tokens.accessToken;
}

/** A REST call; a 401 refreshes the tokens once and retries, other failures throw ApiError with the problem. */
export async function api(method, path, body, retried = false) {
    const headers = {};
    if (tokens) headers.Authorization = 'Bearer ' + (await freshToken());
    const isForm = body instanceof FormData;
    if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
    let response;
    try {
        response = await fetch(path, {method, headers, body: body === undefined ? undefined : isForm ? body : JSON.stringify(body)});
    } catch (e) {
        throw new ApiError(0, null, 'No connection to the server');
    }
    if (response.status === 401 && tokens && !retried) {
        await refresh();
        return api(method, path, body, true);
    }
    const json = await readBody(response);
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
}

/** Bytes of a media file as an object URL (media needs the bearer token, so no plain <img src>). */
export async function blobUrl(path) {
    const send = async () => fetch(path, {headers: {Authorization: 'Bearer ' + (await freshToken())}});
    let response = await send();
    if (response.status === 401) { await refresh(); response = await send(); }
    if (!response.ok) throw new ApiError(response.status, await readBody(response));
    return URL.createObjectURL(await response.blob());
}

/** Upload with progress (fetch reports none): XMLHttpRequest, onProgress(0..1). */
export async function upload(file, onProgress) {
    const token = await freshToken();
    return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', '/api/media');
        xhr.setRequestHeader('Authorization', 'Bearer ' + token);
        xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
        xhr.onload = () => {
            let body = null;
            try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
            if (xhr.status >= 200 && xhr.status < 300) resolve(body); else reject(new ApiError(xhr.status, body));
        };
        xhr.onerror = () => reject(new ApiError(0, null, 'The upload was cut off: no connection'));
        const form = new FormData();
        form.append('file', file, file.name || 'pasted-image.png');
        xhr.send(form);
    });
}

export async function signIn(handle, password) {
    const response = await fetch('/api/auth/token', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({handle, password})});
    const body = await readBody(response);
    if (!response.ok) throw new ApiError(response.status, body);
    adopt(body);
}

export async function signUp(handle, displayName, password) {
    const response = await fetch('/api/accounts', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({handle, displayName, password})});
    const body = await readBody(response);
    if (!response.ok) throw new ApiError(response.status, body);
    await signIn(handle, password);
}

/** Ends this device's session on the server (its refresh tokens are refused from now on) and forgets it here. */
export async function signOut() {
    const held = tokens && tokens.refreshToken;
    save(null);
    if (held) {
        await fetch('/api/auth/sign-out', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({refreshToken: held})}).catch(() => {});
    }
}

// another tab signed in, refreshed or signed out: follow it
window.addEventListener('storage', (e) => {
    if (e.key !== KEY) return;
    tokens = load();
    schedule();
    for (const l of listeners) l(tokens);
});
schedule();
