/* Service worker of the safety-site generator: after one visit the modules and quizzes of that
 * language keep working with no network.  The build writes VERSION and PAGES above this line;
 * a rebuilt site has another VERSION, and the old cache is deleted when the new worker starts.
 * Pages: network first (fresh when online, the cached copy after a few seconds without a
 * network); other files: cache first (their names change with their content).
 */
const CACHE = `generator-${VERSION}`;
const TIMEOUT = 4000;
const language = new URL(self.location.href).searchParams.get("lang") || "";

self.addEventListener("install", (event) => {
  const pages = PAGES[language] || PAGES[""] || [];
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all([...ASSETS, ...pages].map((path) => cache.add(path).catch(() => undefined))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("generator-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function remember(request, response) {
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

function fromNetwork(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("slow")), TIMEOUT);
    fetch(request).then((response) => { clearTimeout(timer); resolve(remember(request, response)); },
      (error) => { clearTimeout(timer); reject(error); });
  });
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  const isPage = request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html");
  if (isPage) {
    const url = new URL(request.url);
    url.search = ""; // ?h=… from search results: the same page
    event.respondWith(fromNetwork(request).catch(() => caches.match(url.href, { ignoreSearch: true })
      .then((cached) => cached || caches.match(request)).then((cached) => cached || Response.error())));
  } else {
    event.respondWith(caches.match(request, { ignoreSearch: false })
      .then((cached) => cached || fetch(request).then((response) => remember(request, response))));
  }
});
