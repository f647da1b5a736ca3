/* Service worker of the safety-site generator: after one visit the pages of that language keep
 * working with no network.  The build writes VERSION, ASSETS and PAGES above this line.
 *
 * One worker for every language (one script URL, no ?lang=): a language switch never replaces it.
 * Replacing it was the cause of navigations that stayed pending for good (seen 2026-11-29 in
 * Chromium 156): the new worker's skipWaiting() stopped the old one while it was answering a
 * navigation, and that navigation was never answered.  So:
 *  - a new version (a rebuilt site) waits, as service workers do by default, until no page uses
 *    the old one; no skipWaiting, no claim.  Pages are fetched from the network first, so the old
 *    worker shows the new site's pages in the meantime;
 *  - installing caches nothing: the page asks for its language's files ("warm") once it has
 *    loaded, and the worker fetches them one at a time, only while it is answering nothing else,
 *    for at most SLICE ms per page view (a browser stops a worker whose event lasts minutes);
 *  - the old version's cache stays until a warm of the new one has finished, so a phone never
 *    has less offline than before a rebuild; a finished warm leaves a mark (COMPLETE) in its cache,
 *    and a warm starts by deleting the older versions' caches but two, the newest and the newest
 *    complete one (often the same), so rebuilds in a row never pile up copies of the site;
 *  - a worker that a newer version is waiting to replace warms nothing: it only answers requests,
 *    so it has no work of its own when its last page closes, and the new version takes over at
 *    once instead of while a navigation is being answered (a race in which Chromium left a
 *    navigation pending: test_offline, CI 2026-11-30);
 *  - a page, and any file whose name does not change with its content (site.css, the search
 *    index), comes from the network; after TIMEOUT without an answer, from the cache if it has
 *    it, else the worker keeps waiting for the network's own answer or error.
 * Files with a content hash in their name: cache first.  Pictures (images/<digest>-<width>.webp, named by
 * their content) too; offline, a width the phone has not kept is answered with the narrowest one, which
 * the warm keeps (offline.py): a smaller picture rather than none.
 * Left to the browser, never answered or kept here: other hosts, methods other than GET (results.js
 * sends attempts by POST), and a request made with cache: "no-store" (the home page's participation
 * counter, results-summary.js): it asks for the network's answer or none, so offline it fails
 * instead of showing a stored copy of old numbers.
 */
const CACHE = `generator-${VERSION}`;
const TIMEOUT = 4000;
const PAUSE = 100; // between two background fetches, so a tap on a link is never queued behind them
const SLICE = 60000; // background fetching per page view
const HASHED = /\.[0-9a-f]{8,}\.(?:min\.)?(?:js|css)$|\/images\/[0-9a-f]{12}(?:-\d+)?\.\w+$/; // quiz.545703cb.js, images/3f2a9c1b7d0e-720.webp
const SIZED = /^(.*\/images\/[0-9a-f]{12})-\d+\.(webp|jpg|png)$/;
let answering = 0; // requests of pages being answered now
let idle = null; // resolves when `answering` is back to 0
let wakeIdle = () => {};

self.addEventListener("install", () => { /* nothing to fetch: see "warm" */ });

const COMPLETE = new URL("sw-complete", self.location.href).href; // in a cache whose warm finished
const others = () => caches.keys().then((keys) => keys.filter((key) => key.startsWith("generator-") && key !== CACHE));

// Once this version's copy is complete: the older ones go.
const dropOldCaches = () => others().then((keys) => Promise.all(keys.map((key) => caches.delete(key))));

// Before warming: of the older copies, the newest and the newest complete one stay (they answer
// offline until this version's copy is complete).  caches.keys() lists caches in the order they were made.
async function dropSpareCaches() {
  const older = (await others()).reverse();
  let complete = false;
  for (const [i, key] of older.entries()) {
    const done = Boolean(await (await caches.open(key)).match(COMPLETE));
    if (i === 0 || (done && !complete)) complete = complete || done;
    else await caches.delete(key);
  }
}

const superseded = () => Boolean(self.registration.waiting || self.registration.installing);

// This version's copy first, then an older version's (offline right after a rebuild).
const fromCache = (key) => caches.open(CACHE).then((cache) => cache.match(key))
  .then((hit) => hit || caches.match(key)).catch(() => undefined);

function remember(key, response) {
  // A redirected copy cannot answer a navigation later (Chromium refuses it): keep only direct answers.
  if (response.ok && response.type === "basic" && !response.redirected) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(key, copy)).catch(() => { /* storage full: online only */ });
  }
  return response;
}

function busy(promise) {
  answering += 1;
  if (answering === 1) idle = new Promise((resolve) => { wakeIdle = resolve; });
  const done = () => { answering -= 1; if (answering === 0) wakeIdle(); };
  promise.then(done, done);
  return promise;
}

const quiet = () => (answering ? idle : Promise.resolve()).then(() => new Promise((r) => setTimeout(r, PAUSE)))
  .then(() => (answering ? quiet() : undefined));

function fresh(request) {
  const url = new URL(request.url);
  url.search = ""; // ?h=… from search results: the same page
  const cached = () => fromCache(url.href).then((hit) => hit || fromCache(request));
  const network = fetch(request).then((response) => remember(url.href, response));
  return new Promise((resolve, reject) => {
    let answered = false;
    const answer = (response) => { if (!answered) { answered = true; resolve(response); } };
    const timer = setTimeout(() => cached().then((hit) => hit && answer(hit)), TIMEOUT);
    network.then((response) => { clearTimeout(timer); answer(response); }, (error) => {
      clearTimeout(timer);
      cached().then((hit) => (hit ? answer(hit) : !answered && ((answered = true), reject(error))));
    });
  });
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || request.cache === "no-store" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  const isPage = request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html");
  if (isPage || !HASHED.test(new URL(request.url).pathname)) {
    event.respondWith(busy(fresh(request)));
  } else {
    event.respondWith(busy(fromCache(request)
      .then((cached) => cached || fetch(request).then((response) => remember(request, response))
        .catch((error) => narrowest(request.url, error)))));
  }
});

// Offline, another width of a picture: the narrowest, which the warm keeps (offline.py keeps its WebP).
function narrowest(url, error) {
  const sized = SIZED.exec(url);
  if (!sized) return Promise.reject(error);
  const names = [`${sized[1]}-360.${sized[2]}`, `${sized[1]}-360.webp`];
  return fromCache(names[0]).then((hit) => hit || fromCache(names[1]))
    .then((hit) => hit || Promise.reject(error));
}

async function warm(language) {
  if (superseded()) return;
  await dropSpareCaches();
  const cache = await caches.open(CACHE);
  const base = new URL(".", self.location.href);
  const until = Date.now() + SLICE;
  for (const path of [...ASSETS, ...(PAGES[language] || [])]) {
    const url = new URL(path, base).href;
    if (await cache.match(url)) continue;
    if (Date.now() > until) return; // the next page view carries on
    await quiet();
    if (superseded()) return; // a newer version will keep the pages
    try {
      const response = await fetch(url);
      if (response.ok && !response.redirected) await cache.put(url, response);
    } catch (error) {
      return; // offline again: the next page view carries on
    }
  }
  await cache.put(COMPLETE, new Response(""));
  await dropOldCaches(); // this version's copy is complete
}

let warming = null;
self.addEventListener("message", (event) => {
  const language = event.data && event.data.warm;
  if (typeof language !== "string") return;
  // One slice at a time, each kept alive by the message that started it (never a chain of them).
  warming = warming || warm(language).catch(() => undefined).finally(() => { warming = null; });
  event.waitUntil(warming);
});
