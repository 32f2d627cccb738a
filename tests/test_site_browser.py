"""The built documentation site works in a real browser, offline.

Builds the site (`mkdocs build --strict`), serves it on 127.0.0.1 and crawls
it from the home page in headless Chromium (Debian's `chromium` package, driven
by playwright through `executable_path`; no browser is downloaded). Every page
reached through same-origin links is checked for console errors, uncaught
exceptions, failed or >= 400 requests, requests to other hosts (aborted, so the
test never touches the internet), images that did not load, and links whose
target or `#fragment` does not exist. Full-page screenshots of the home page
and of the zoo page are saved to $KERAS_GAN_ARTIFACTS (default:
outputs/site-screenshots/).

Install the browser with tools/install_chromium.sh (`make setup` runs it).
"""

import collections
import dataclasses
import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"
INSTALL_HINT = "install Debian's chromium: tools/install_chromium.sh"
ARTIFACTS = os.environ.get("KERAS_GAN_ARTIFACTS") or os.path.join(
    ROOT, "outputs", "site-screenshots")
# Pages that must be reached from the home page and screenshotted:
# (name, path on the site, required).
SCREENSHOTS = [
    ("home", "/", True),
    ("zoo", "/zoo/", os.path.exists(os.path.join(ROOT, "docs", "zoo.md"))),
]


def _repo_facts_urls():
    """Material for MkDocs fetches the stars/forks/latest release of mkdocs.yml's
    `repo_url` from the GitHub API for the header's repository badge. Those
    requests are aborted like every other off-site one (the test never goes
    online) and the badge just shows no numbers: they are the only off-site
    requests that do not fail the test."""
    with open(os.path.join(ROOT, "mkdocs.yml")) as f:
        match = re.search(r"^repo_url:\s*['\"]?https://github\.com/([^/\s'\"]+/[^/\s'\"]+?)"
                          r"(?:\.git)?/?['\"]?\s*$", f.read(), re.M)
    if not match:
        return ()
    base = f"https://api.github.com/repos/{match.group(1)}"
    return base, base + "/"


OPTIONAL_OFFSITE = _repo_facts_urls()
MAX_PAGES = 200
NAV_TIMEOUT_MS = 20_000

pytestmark = pytest.mark.once  # the site does not depend on the backend

# Runs in the page once it has loaded: loads lazy images, waits for every
# image, and returns the ids (anchors), same-document links and broken images.
PAGE_SCRIPT = """
async () => {
  const imgs = Array.from(document.images);
  for (const img of imgs) img.loading = "eager";
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener("load", done);
    img.addEventListener("error", done);
    setTimeout(done, 5000);
  })));
  const abs = h => { try { return new URL(h, document.baseURI).href; } catch (e) { return h; } };
  return {
    ids: Array.from(document.querySelectorAll("[id]"), e => e.id)
      .concat(Array.from(document.querySelectorAll("a[name]"), e => e.getAttribute("name"))),
    links: Array.from(document.querySelectorAll("a[href], area[href]"),
                      a => abs(a.getAttribute("href"))),
    badImages: imgs.filter(img => !(img.complete && img.naturalWidth > 0))
      .map(img => img.currentSrc || abs(img.getAttribute("src") || "")),
  };
}
"""


@dataclasses.dataclass
class Crawl:
    problem: str = ""               # set when the crawl could not run at all
    pages: dict = dataclasses.field(default_factory=dict)           # path -> status
    console_errors: list = dataclasses.field(default_factory=list)
    page_errors: list = dataclasses.field(default_factory=list)
    failed_requests: list = dataclasses.field(default_factory=list)
    bad_responses: list = dataclasses.field(default_factory=list)
    offsite: list = dataclasses.field(default_factory=list)
    optional_offsite: list = dataclasses.field(default_factory=list)  # aborted, allowed
    bad_images: list = dataclasses.field(default_factory=list)
    broken_links: list = dataclasses.field(default_factory=list)
    broken_anchors: list = dataclasses.field(default_factory=list)
    screenshots: dict = dataclasses.field(default_factory=dict)     # name -> file
    search: dict = dataclasses.field(default_factory=dict)  # query -> result links or error


def _require(crawl):
    if crawl.problem:
        pytest.fail(crawl.problem, pytrace=False)


def _fmt(title, rows):
    rows = sorted(set(rows))
    return f"{title} ({len(rows)}):\n  " + "\n  ".join(rows)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _build_site(dest):
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", dest],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert proc.returncode == 0, "mkdocs build --strict failed:\n" + proc.stderr[-4000:]


def _http_status(url):
    try:
        # No proxy: a proxy from the environment could not reach 127.0.0.1.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError as err:
        return f"error {err}"


# Queries typed into the site's search box, and a page each must find.
SEARCHES = {"WGAN-GP": "/guides/wgan_gp/"}


def _search(context, origin, query, rel):
    """Types `query` into the home page's search box; the result links (or an error)."""
    from playwright.sync_api import Error as PlaywrightError

    page = context.new_page()
    try:
        page.goto(origin + "/", wait_until="load", timeout=NAV_TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=NAV_TIMEOUT_MS)  # the index is in
        page.evaluate("document.querySelector('#__search').checked = true")  # open the box
        page.locator("input.md-search__input").focus()
        page.keyboard.type(query, delay=30)  # key events, as a reader types
        page.wait_for_selector(".md-search-result__item", state="attached",
                               timeout=NAV_TIMEOUT_MS)
        links = page.eval_on_selector_all(".md-search-result__item a",
                                          "els => els.map(e => e.href)")
        return [rel(link) for link in links]
    except PlaywrightError as err:
        return f"search failed: {err}"
    finally:
        page.close()


def _crawl(executable, origin):
    crawl = Crawl()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        crawl.problem = ("playwright is not installed: "
                         ".venv/bin/pip install -c constraints.txt -e '.[docs]'")
        return crawl

    def rel(url):
        return url[len(origin):] if url.startswith(origin) else url

    def is_local(url):
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in ("data", "blob", "about") or parts.hostname == HOST

    def route(route_, request):
        if is_local(request.url):
            route_.continue_()
        else:
            if request.url in OPTIONAL_OFFSITE or (
                    OPTIONAL_OFFSITE and request.url.startswith(OPTIONAL_OFFSITE[1])):
                crawl.optional_offsite.append(request.url)
            else:
                try:
                    where = rel(request.frame.url)
                except PlaywrightError:          # a worker's request has no frame
                    where = "(worker)"
                crawl.offsite.append(f"{where} -> {request.url}")
            route_.abort("blockedbyclient")

    def console_error(path, msg):
        url = msg.location.get("url", "")
        if not is_local(url) and "ERR_BLOCKED_BY_CLIENT" in msg.text:
            return                  # an aborted off-site request: reported as such
        crawl.console_errors.append(f"{path}: {msg.text} ({rel(url)})")

    args = ["--no-proxy-server"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable, headless=True,
                                         args=args, timeout=60_000)
        except PlaywrightError as err:
            crawl.problem = (f"could not start {executable} headless ({err}); "
                             f"{INSTALL_HINT}")
            return crawl
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      service_workers="block")
        context.route("**/*", route)

        queue = collections.deque(["/"])
        seen = {"/"}
        ids = {}                                  # page path -> set of ids
        link_refs = collections.defaultdict(set)  # target path -> referring pages
        anchor_refs = []                          # (referrer, target path, fragment)
        assets = set()                            # same-origin non-page link targets
        while queue and len(crawl.pages) < MAX_PAGES:
            path = queue.popleft()
            page = context.new_page()
            page.on("console", lambda msg, p=path: msg.type == "error"
                    and console_error(p, msg))
            page.on("pageerror", lambda err, p=path: crawl.page_errors.append(f"{p}: {err}"))
            page.on("requestfailed", lambda req, p=path: is_local(req.url)
                    and crawl.failed_requests.append(
                        f"{p}: {rel(req.url)} ({req.failure})"))
            page.on("response", lambda resp, p=path: resp.status >= 400
                    and crawl.bad_responses.append(f"{p}: {rel(resp.url)} -> {resp.status}"))
            try:
                response = page.goto(origin + path, wait_until="load", timeout=NAV_TIMEOUT_MS)
                if path == "/":
                    # Requests made after `load` (the search index, fetched by a
                    # worker) are the same on every page: checking them once is
                    # enough, and waiting for the network to go quiet costs
                    # ~0.7 s per page. PAGE_SCRIPT waits for the images.
                    page.wait_for_load_state("networkidle", timeout=NAV_TIMEOUT_MS)
            except PlaywrightError as err:
                crawl.pages[path] = f"error {err}"
                page.close()
                continue
            crawl.pages[path] = response.status if response else "no response"
            info = page.evaluate(PAGE_SCRIPT)
            ids[path] = set(info["ids"])
            crawl.bad_images += [f"{path}: {rel(src) or '(no src)'}" for src in info["badImages"]]
            for link in info["links"]:
                target, _, fragment = link.partition("#")
                if not target.startswith(origin + "/"):
                    continue                      # off-site link: not followed
                target_path = urllib.parse.urlsplit(target).path
                if target_path.endswith("/index.html"):
                    target_path = target_path[: -len("index.html")]
                link_refs[target_path].add(path)
                if fragment:
                    anchor_refs.append((path, target_path, urllib.parse.unquote(fragment)))
                if target_path.endswith(("/", ".html")):
                    if target_path not in seen:
                        seen.add(target_path)
                        queue.append(target_path)
                else:
                    assets.add(target_path)
            for name, shot_path, _ in SCREENSHOTS:
                if path == shot_path and crawl.pages[path] == 200:
                    os.makedirs(ARTIFACTS, exist_ok=True)
                    out = os.path.join(ARTIFACTS, f"{name}.png")
                    page.screenshot(path=out, full_page=True)
                    crawl.screenshots[name] = out
            page.close()
        for query in SEARCHES:
            crawl.search[query] = _search(context, origin, query, rel)
        browser.close()

    for target_path, referrers in link_refs.items():
        status = crawl.pages.get(target_path)
        if status is None and target_path in assets:
            status = _http_status(origin + target_path)
        if status not in (200, None):
            crawl.broken_links += [f"{r} -> {target_path} ({status})" for r in referrers]
    for referrer, target_path, fragment in anchor_refs:
        if target_path in ids and fragment not in ids[target_path]:
            crawl.broken_anchors.append(f"{referrer} -> {target_path}#{fragment}")
    return crawl


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    executable = os.environ.get("KERAS_GAN_CHROMIUM") or shutil.which("chromium")
    if not executable:
        return Crawl(problem=f"chromium not found on PATH; {INSTALL_HINT}")
    site_dir = str(tmp_path_factory.mktemp("site"))
    _build_site(site_dir)
    server = http.server.ThreadingHTTPServer(
        (HOST, 0), functools.partial(_QuietHandler, directory=site_dir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        return _crawl(executable, f"http://{HOST}:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def test_pages_load_without_errors(crawl):
    _require(crawl)
    assert len(crawl.pages) > 1, f"the crawl from / reached only {list(crawl.pages)}"
    not_ok = [f"{p} ({s})" for p, s in crawl.pages.items() if s != 200]
    assert not not_ok, _fmt("pages that did not load with 200", not_ok)
    problems = [_fmt(title, rows) for title, rows in (
        ("console errors", crawl.console_errors),
        ("uncaught page errors", crawl.page_errors),
        ("failed requests", crawl.failed_requests),
        ("responses >= 400", crawl.bad_responses),
    ) if rows]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("query", sorted(SEARCHES))
def test_search_finds(crawl, query):
    _require(crawl)
    results = crawl.search.get(query)
    assert isinstance(results, list), results
    pages = {link.split("#")[0] for link in results}
    assert SEARCHES[query] in pages, f"search for {query!r} found {sorted(pages)}"


def test_no_offsite_requests(crawl):
    _require(crawl)
    assert not crawl.offsite, _fmt(
        "requests to hosts other than 127.0.0.1 (the site must work offline)", crawl.offsite)


def test_images_load(crawl):
    _require(crawl)
    assert not crawl.bad_images, _fmt("images that did not load", crawl.bad_images)


def test_internal_links_resolve(crawl):
    _require(crawl)
    assert not crawl.broken_links, _fmt(
        "broken internal links (page -> target (status))", crawl.broken_links)
    assert not crawl.broken_anchors, _fmt(
        "links to #anchors that are not ids on the target page", crawl.broken_anchors)


@pytest.mark.parametrize("name,path", [(n, p) for n, p, required in SCREENSHOTS if required])
def test_screenshot(crawl, name, path):
    _require(crawl)
    from PIL import Image

    assert name in crawl.screenshots, (
        f"{path} was not reached from the home page (or did not load); crawled: "
        f"{sorted(crawl.pages)}")
    with open(crawl.screenshots[name], "rb") as f:
        data = f.read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{crawl.screenshots[name]} is not a PNG"
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.width >= 1000 and image.height >= 500, (crawl.screenshots[name], image.size)
    colors = image.getcolors(maxcolors=1 << 16)
    assert colors is None or len(colors) > 32, (
        f"{crawl.screenshots[name]} looks blank ({len(colors)} colours)")
