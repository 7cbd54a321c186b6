#!/usr/bin/env python3
"""The official Python Blue Button SDK (PyPI cms-bluebutton-sdk 1.1.0, unpatched) against
`bbgen serve`: authorize URL → log-in and consent scripted over plain HTTP → token → every
EOB page → Patient → Coverage → userinfo → refresh; then, an hour later on the server's virtual
clock, the SDK's refresh on expiry (and its get_pages bug: every page refreshes with the same,
by then used, refresh token), and a second consent whose code exchange carries the SDK's stale
Bearer header and ends the first grant's tokens. Prints one JSON summary on stdout.

usage: python_sdk.py BASE_URL CLIENT_ID CLIENT_SECRET CALLBACK_URL USERNAME PASSWORD

The SDK has one URL per environment; its LOCAL one is http://localhost:8000, which is
`bbgen serve`'s default address. For a server elsewhere (a test's free port) this script
sets `cms_bluebutton.constants.ENVIRONMENT_URLS["LOCAL"]` to BASE_URL before the SDK reads
its configuration: the SDK's own code runs as shipped.
"""

import json
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from cms_bluebutton import BlueButton, constants
from cms_bluebutton.auth import AuthorizationToken
from cms_bluebutton.version import __version__ as SDK_VERSION

LOCAL_DEFAULT = "http://localhost:8000"


class Form(HTMLParser):
    """The first form of a page: its action, its fields in order, and its buttons."""

    def __init__(self, html):
        super().__init__()
        self.action = None
        self.fields = []  # (id, type, name, value, checked)
        self.buttons = {}  # id -> (name, value)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action", "")
        elif tag == "input":
            self.fields.append(
                (a.get("id"), a.get("type", "text"), a.get("name"), a.get("value", ""), "checked" in a)
            )
        elif tag == "button" and a.get("id"):
            self.buttons[a["id"]] = (a.get("name"), a.get("value", ""))

    def submission(self, typed, button):
        """What a browser posts: hidden fields, typed text, checked boxes, the pressed button."""
        pairs = []
        for fid, ftype, name, value, checked in self.fields:
            if not name:
                continue
            if ftype == "hidden" or (ftype == "checkbox" and checked):
                pairs.append((name, value))
            elif ftype in ("text", "password"):
                pairs.append((name, typed.get(fid, value)))
        name, value = self.buttons[button]
        if name:
            pairs.append((name, value))
        return pairs


def browse(url, callback, username, password):
    """Follows redirects and fills the log-in and consent pages until the app's callback."""
    web = requests.Session()
    resp = web.get(url, allow_redirects=False)
    for _ in range(12):
        if resp.is_redirect:
            loc = urljoin(resp.url, resp.headers["Location"])
            if loc.startswith(callback):
                return loc
            resp = web.get(loc, allow_redirects=False)
            continue
        if resp.status_code != 200:
            raise SystemExit(f"{resp.url}: HTTP {resp.status_code}: {resp.text[:300]}")
        form = Form(resp.text)
        if "login-button" in form.buttons:
            pairs = form.submission({"username": username, "password": password}, "login-button")
        elif "approve" in form.buttons:
            pairs = form.submission({}, "approve")
        else:
            raise SystemExit(f"{resp.url}: neither a log-in nor a consent page")
        resp = web.post(urljoin(resp.url, form.action), data=pairs, allow_redirects=False)
    raise SystemExit("no callback after 12 steps")


def stale(token):
    """The token as an app stores it, after its hour: the SDK then refreshes before a call."""
    return AuthorizationToken({**token.get_dict(), "expires_at": "2000-01-01T00:00:00+00:00"})


def after_an_hour(bb, token):
    """Refresh on expiry, then get_pages with an expired token (the SDK's known bug)."""
    advance = f"{bb.base_url}/_bbgen/clock/advance"
    requests.post(advance, json={"seconds": 3601}).raise_for_status()
    auto = bb.get_patient_data({"auth_token": stale(token), "params": {}})
    renewed = auto["auth_token"]
    requests.post(advance, json={"seconds": 3601}).raise_for_status()
    old = stale(renewed)
    first = bb.get_explaination_of_benefit_data({"auth_token": old, "params": {}})
    try:
        bb.get_pages(first["response"].json(), {"auth_token": old, "params": {}})
        pages_error = None
    except requests.HTTPError as e:
        pages_error = {"status": e.response.status_code, "body": e.response.json()}
    summary = {
        "auto_refresh_status": auto["response"].status_code,
        "auto_refresh_new_token": renewed.access_token != token.access_token,
        "first_page_status": first["response"].status_code,
        "get_pages_error": pages_error,
    }
    return {"summary": summary, "token": first["auth_token"]}


def second_consent(bb, callback, username, password, earlier):
    """A new consent in the same process: the SDK's module-level headers still hold the last
    Bearer token when it exchanges the code, and the new grant ends the earlier tokens."""
    auth_data = bb.generate_auth_data()
    landed = browse(bb.generate_authorize_url(auth_data), callback, username, password)
    query = parse_qs(urlsplit(landed).query)
    token = bb.get_authorization_token(auth_data, query["code"][0], query["state"][0])

    def status(tok):
        return bb.get_patient_data({"auth_token": tok, "params": {}})["response"].status_code

    return {"new_token_status": status(token), "earlier_token_status": status(earlier)}


def main(base, client_id, secret, callback, username, password):
    if base != LOCAL_DEFAULT:
        constants.ENVIRONMENT_URLS["LOCAL"] = base
    bb = BlueButton(
        {
            "environment": "LOCAL",
            "client_id": client_id,
            "client_secret": secret,
            "callback_url": callback,
            "version": 2,
            "retry_settings": {"total": 0},
        }
    )
    auth_data = bb.generate_auth_data()
    landed = browse(bb.generate_authorize_url(auth_data), callback, username, password)
    query = parse_qs(urlsplit(landed).query)
    code, state = query.get("code", [None])[0], query.get("state", [None])[0]
    token = bb.get_authorization_token(auth_data, code, state)

    def call(getter, tok, params=None):
        resp = getter({"auth_token": tok, "params": params or {}})["response"]
        resp.raise_for_status()
        return resp

    first = call(bb.get_explaination_of_benefit_data, token, {"_count": 10})
    paged = bb.get_pages(first.json(), {"auth_token": token, "params": {"_count": 10}})
    eob_ids = [e["resource"]["id"] for page in paged["pages"] for e in page.get("entry", [])]
    patient = call(bb.get_patient_data, token).json()
    coverage = call(bb.get_coverage_data, token).json()
    userinfo = call(bb.get_profile_data, token).json()

    fresh = bb.refresh_auth_token(token)
    after = {"auth_token": fresh, "params": {}}
    new_status = bb.get_patient_data(after)["response"].status_code
    old_status = bb.get_patient_data({"auth_token": token, "params": {}})["response"].status_code

    expired = after_an_hour(bb, fresh)
    again = second_consent(bb, callback, username, password, expired["token"])

    summary = {
        "sdk": "python",
        "sdk_version": SDK_VERSION,
        "base_url": bb.base_url,
        "authorize_url": bb.auth_base_url,
        "patient": token.patient,
        "scope": token.scope,
        "expires_in": token.expires_in,
        "patient_ids": [e["resource"]["id"] for e in patient.get("entry", [])],
        "eob_total": first.json()["total"],
        "eob_ids": eob_ids,
        "pages": len(paged["pages"]),
        "eob_content_type": first.headers.get("Content-Type"),
        "eob_content_encoding": first.headers.get("Content-Encoding"),
        "coverage_ids": [e["resource"]["id"] for e in coverage.get("entry", [])],
        "userinfo": userinfo,
        "refresh": {
            "access_token_differs": fresh.access_token != token.access_token,
            "refresh_token_differs": fresh.refresh_token != token.refresh_token,
            "new_token_status": new_status,
            "old_token_status": old_status,
        },
        "expired": expired["summary"],
        "second_consent": again,
    }
    json.dump(summary, sys.stdout)
    print()


if __name__ == "__main__":
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
