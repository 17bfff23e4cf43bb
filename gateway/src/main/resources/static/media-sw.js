// Parley's media service worker: lets a <video> (or <audio>) stream a file straight from GET /api/media/{id},
// seeking with HTTP Range requests, although a media element cannot send the bearer token the API needs. Only
// the page's own same-origin media requests that carry no Authorization header are touched: the worker asks the
// page that made the request for a fresh access token (it keeps none itself, so a restarted worker has nothing
// stale) and forwards the request, Range header included, with the token added; the 206 goes back as it came.
// Served from the site root because a worker controls only the pages under its own path.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/api/media/')
        || request.headers.has('Authorization')) return;
    event.respondWith(withToken(event, request));
});

async function withToken(event, request) {
    const client = event.clientId ? await self.clients.get(event.clientId) : null;
    const token = client ? await askToken(client) : null;
    const headers = new Headers();
    const range = request.headers.get('Range');
    if (range) headers.set('Range', range);
    if (token) headers.set('Authorization', 'Bearer ' + token);
    return fetch(request.url, {headers, credentials: 'omit', cache: 'no-store'});
}

function askToken(client) {
    return new Promise((resolve) => {
        const channel = new MessageChannel();
        const timer = setTimeout(() => resolve(null), 5000);
        channel.port1.onmessage = (message) => { clearTimeout(timer); resolve(message.data); };
        client.postMessage({type: 'parley-token'}, [channel.port2]);
    });
}
