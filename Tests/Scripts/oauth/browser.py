#!/usr/bin/env python3
"""A headless "browser" for $BROWSER: `browser.py URL` acts as the user. It GETs the authorization URL
(following redirects on the authorization server's origin), submits the consent form (Approve, or Deny
with GATEHOUSE_BROWSER_DENY=1), and GETs the final redirect to the loopback redirect_uri so the
client's listener receives it. Stdlib only.

Env: GATEHOUSE_BROWSER_LOG=FILE                 append {"argv": [...]} as one JSON line
     GATEHOUSE_BROWSER_PRINT_REDIRECT=1         write the final redirect URL to GATEHOUSE_BROWSER_REDIRECT_FILE
                                                instead of fetching it (the --no-browser paste test)
     GATEHOUSE_BROWSER_DENY=1                   press Deny
Exit 0 once the redirect was delivered (or written); 1 on any failure (the reason on stderr).
"""
import json
import os
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": [], "buttons": []}
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and a.get("name"):
            if (a.get("type") or "text").lower() == "submit":
                self._form["buttons"].append((a["name"], a.get("value", ""), a.get("value", "")))
            else:
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif self._form is not None and tag == "button":
            self._form["buttons"].append((a.get("name"), a.get("value", ""), None))
            self._button = self._form["buttons"][-1]

    def handle_data(self, data):
        b = getattr(self, "_button", None)
        if b is not None and b[2] is None and self._form is not None:
            self._form["buttons"][-1] = (b[0], b[1], data.strip())

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "button":
            self._button = None


def origin(url):
    p = urlsplit(url)
    return (p.scheme, p.hostname, p.port)


def request(url, data=None):
    req = urllib.request.Request(url, data=data, headers={"User-Agent": "gatehouse-test-browser"})
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        r = OPENER.open(req, timeout=15)
        return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


def choose(form, deny):
    wanted = "deny" if deny else "approve"
    for name, value, label in form["buttons"]:
        if wanted in (value or "").lower() or wanted in (label or "").lower():
            return name, value
    return None


def run(url, deny=False):
    """Act as the user; return the final redirect URL (to the client's redirect_uri)."""
    as_origins = {origin(url)}
    data = None
    for _ in range(20):
        status, headers, body = request(url, data)
        data = None
        if status in (301, 302, 303, 307, 308):
            nxt = urljoin(url, headers["Location"])
            if origin(nxt) in as_origins:
                url = nxt
                continue
            return nxt
        if status != 200:
            raise RuntimeError(f"HTTP {status} at {urlsplit(url).path}: {body[:200]}")
        parser = FormParser()
        parser.feed(body)
        forms = [f for f in parser.forms if choose(f, deny)]
        if not forms:
            raise RuntimeError(f"no consent form at {urlsplit(url).path}")
        form = forms[0]
        fields = list(form["fields"])
        button = choose(form, deny)
        if button[0]:
            fields.append(button)
        target = urljoin(url, form["action"] or url)
        as_origins.add(origin(target))
        if form["method"] == "post":
            url, data = target, urlencode(fields).encode()
        else:
            url = target + ("&" if "?" in target else "?") + urlencode(fields)
    raise RuntimeError("too many steps")


def main():
    if len(sys.argv) != 2:
        print("usage: browser.py URL", file=sys.stderr)
        return 2
    if os.environ.get("GATEHOUSE_BROWSER_LOG"):
        with open(os.environ["GATEHOUSE_BROWSER_LOG"], "a") as f:
            f.write(json.dumps({"argv": sys.argv[1:]}) + "\n")
    try:
        final = run(sys.argv[1], deny=os.environ.get("GATEHOUSE_BROWSER_DENY") == "1")
        if os.environ.get("GATEHOUSE_BROWSER_PRINT_REDIRECT") == "1":
            with open(os.environ["GATEHOUSE_BROWSER_REDIRECT_FILE"], "w") as f:
                f.write(final + "\n")
            return 0
        try:
            request(final)
        except (urllib.error.URLError, OSError) as e:
            print(f"browser: delivering the redirect failed: {type(e).__name__}", file=sys.stderr)
            return 1
        return 0
    except Exception as e:  # noqa: BLE001
        print(f"browser: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
