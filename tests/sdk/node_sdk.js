#!/usr/bin/env node
// The official Node Blue Button SDK (npm cms-bluebutton-sdk 1.0.13, unpatched) against
// `bbgen serve`: authorize URL → log-in and consent scripted over plain HTTP → token → every
// EOB page → Patient → Coverage → userinfo → refresh; then, an hour later on the server's
// virtual clock, the SDK's refresh on expiry (and its getPages bug: every page refreshes with
// the same, by then used, refresh token); then a refused consent, which the SDK must report as
// CALLBACK_ACCESS_DENIED. Prints one JSON summary on stdout.
//
// usage: node node_sdk.js BASE_URL CLIENT_ID CLIENT_SECRET CALLBACK_URL USERNAME PASSWORD
//
// The SDK's LOCAL environment is http://localhost:8000 (`bbgen serve`'s default address);
// for a server elsewhere this script sets `bb.baseUrl`, which the SDK reads on every call.
"use strict";

const { AuthorizationToken, BlueButton, Errors } = require("cms-bluebutton-sdk");
const SDK_VERSION = require("cms-bluebutton-sdk/package.json").version;

const LOCAL_DEFAULT = "http://localhost:8000";

const ENTITIES = { amp: "&", quot: '"', lt: "<", gt: ">", "#x27": "'", "#39": "'" };

/** The attributes of every `<tag …>` in `html`, in order. */
function tags(html, tag) {
  const found = [];
  for (const m of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "gi"))) {
    const attrs = {};
    for (const a of m[1].matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) {
      attrs[a[1].toLowerCase()] = (a[2] ?? "").replace(/&(amp|quot|lt|gt|#x27|#39);/g, (_, e) => ENTITIES[e]);
    }
    found.push(attrs);
  }
  return found;
}

/** What a browser posts: hidden fields, typed text, checked boxes, the pressed button. */
function submission(html, typed, buttonId) {
  const pairs = [];
  for (const f of tags(html, "input")) {
    const type = f.type || "text";
    if (!f.name) continue;
    if (type === "hidden" || (type === "checkbox" && "checked" in f)) pairs.push([f.name, f.value ?? ""]);
    else if (type === "text" || type === "password") pairs.push([f.name, typed[f.id] ?? f.value ?? ""]);
  }
  const button = tags(html, "button").find((b) => b.id === buttonId);
  if (!button) throw new Error(`no button #${buttonId}`);
  if (button.name) pairs.push([button.name, button.value ?? ""]);
  return new URLSearchParams(pairs);
}

/** Follows redirects and fills the log-in and consent pages until the app's callback. */
async function browse(url, callback, username, password, consentButton) {
  // The server carries the flow in its URLs (relay, approval id), so no cookie jar is needed.
  const send = (target, init = {}) => fetch(target, { ...init, redirect: "manual" });
  let here = url;
  let resp = await send(here);
  for (let step = 0; step < 12; step++) {
    if (resp.status >= 300 && resp.status < 400) {
      here = new URL(resp.headers.get("location"), here).href;
      if (here.startsWith(callback)) return new URL(here);
      resp = await send(here);
      continue;
    }
    const html = await resp.text();
    if (resp.status !== 200) throw new Error(`${here}: HTTP ${resp.status}: ${html.slice(0, 300)}`);
    const [form] = tags(html, "form");
    let body;
    if (html.includes('id="login-button"')) {
      body = submission(html, { username, password }, "login-button");
    } else if (html.includes('id="approve"')) {
      body = submission(html, {}, consentButton);
    } else {
      throw new Error(`${here}: neither a log-in nor a consent page`);
    }
    here = new URL(form.action, here).href;
    resp = await send(here, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }
  throw new Error("no callback after 12 steps");
}

/** The response of an SDK call, which must be a 200. */
function ok(result, what) {
  const r = result.response;
  if (!r || r.status !== 200) throw new Error(`${what}: HTTP ${r && r.status}: ${JSON.stringify(r && r.data)}`);
  return r;
}

/** The Content-Encoding a response arrived with (axios drops the header once it decodes). */
function contentEncoding(resp) {
  const raw = resp.request?.res?.rawHeaders || [];
  const i = raw.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === "content-encoding");
  return i < 0 ? null : raw[i + 1];
}

/** The token as an app stores it, after its hour: the SDK then refreshes before a call. */
function stale(t) {
  return new AuthorizationToken({
    access_token: t.accessToken,
    expires_in: t.expiresIn,
    token_type: t.tokenType,
    scope: t.scope,
    refresh_token: t.refreshToken,
    patient: t.patient,
    expires_at: Date.now() - 1000,
  });
}

/** Refresh on expiry, then getPages with an expired token (the SDK's known bug). */
async function afterAnHour(bb, token) {
  const advance = async () => {
    const r = await fetch(`${bb.baseUrl}/_bbgen/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ seconds: 3601 }),
    });
    if (r.status !== 200) throw new Error(`clock: HTTP ${r.status}`);
  };
  await advance();
  const auto = await bb.getPatientData(stale(token));
  await advance();
  const old = stale(auto.token);
  const first = await bb.getExplanationOfBenefitData(old);
  let pagesError = null;
  try {
    await bb.getPages(first.response.data, old);
  } catch (e) {
    pagesError = { status: e.response && e.response.status, body: e.response && e.response.data };
  }
  return {
    auto_refresh_status: auto.response.status,
    auto_refresh_new_token: auto.token.accessToken !== token.accessToken,
    first_page_status: first.response.status,
    get_pages_error: pagesError,
  };
}

async function main([base, clientId, clientSecret, callbackUrl, username, password]) {
  const bb = new BlueButton({
    environment: "LOCAL",
    clientId,
    clientSecret,
    callbackUrl,
    version: "2",
    retrySettings: { total: 0 },
  });
  if (base !== LOCAL_DEFAULT) bb.baseUrl = base;

  const authData = bb.generateAuthData();
  const landed = await browse(bb.generateAuthorizeUrl(authData), callbackUrl, username, password, "approve");
  const q = landed.searchParams;
  const token = await bb.getAuthorizationToken(authData, q.get("code"), q.get("state"), q.get("error"));

  const first = ok(await bb.getExplanationOfBenefitData(token), "EOB");
  const paged = await bb.getPages(first.data, token);
  const eobIds = paged.pages.flatMap((p) => (p.entry || []).map((e) => e.resource.id));
  const patient = ok(await bb.getPatientData(token), "Patient").data;
  const coverage = ok(await bb.getCoverageData(token), "Coverage").data;
  const userinfo = ok(await bb.getProfileData(token), "userinfo").data;

  const fresh = await bb.refreshAuthToken(token);
  const newStatus = (await bb.getPatientData(fresh)).response.status;
  const oldStatus = (await bb.getPatientData(token)).response.status;

  const expired = await afterAnHour(bb, fresh);

  const refusedAuth = bb.generateAuthData();
  const refused = await browse(bb.generateAuthorizeUrl(refusedAuth), callbackUrl, username, password, "deny");
  let deniedError = null;
  try {
    const r = refused.searchParams;
    await bb.getAuthorizationToken(refusedAuth, r.get("code"), r.get("state"), r.get("error"));
  } catch (e) {
    deniedError = e.message === Errors.CALLBACK_ACCESS_DENIED ? "CALLBACK_ACCESS_DENIED" : e.message;
  }

  const summary = {
    sdk: "node",
    sdk_version: SDK_VERSION,
    base_url: bb.baseUrl,
    authorize_url: bb.generateAuthorizeUrl(authData).split("?")[0],
    patient: token.patient,
    scope: token.scope,
    expires_in: token.expiresIn,
    patient_ids: (patient.entry || []).map((e) => e.resource.id),
    eob_total: first.data.total,
    eob_ids: eobIds,
    pages: paged.pages.length,
    eob_content_type: first.headers["content-type"],
    eob_content_encoding: contentEncoding(first),
    coverage_ids: (coverage.entry || []).map((e) => e.resource.id),
    userinfo,
    refresh: {
      access_token_differs: fresh.accessToken !== token.accessToken,
      refresh_token_differs: fresh.refreshToken !== token.refreshToken,
      new_token_status: newStatus,
      old_token_status: oldStatus,
    },
    expired,
    denied_error: deniedError,
  };
  process.stdout.write(JSON.stringify(summary) + "\n");
}

const args = process.argv.slice(2);
if (args.length !== 6) {
  process.stderr.write("usage: node node_sdk.js BASE_URL CLIENT_ID CLIENT_SECRET CALLBACK_URL USERNAME PASSWORD\n");
  process.exit(2);
}
main(args).catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
