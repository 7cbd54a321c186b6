-- wrk script for benches/serve_load.sh: each request is the first gzip ExplanationOfBenefit
-- page of the next user of TOKENS (a file of "ACCESS_TOKEN PATIENT_ID" lines), the threads
-- starting at different users. Counts responses that are not 2xx, and those not gzipped
-- (bodies under 1,000 bytes are sent as they are). `done` prints the figures as "key value"
-- lines for the shell script.

local users = {}
for line in io.lines(os.getenv("TOKENS")) do
  local token, patient = line:match("^(%S+) (%S+)$")
  users[#users + 1] = { token = token, patient = patient }
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("first", thread_count)
  table.insert(threads, thread)
end

function init(args)
  next_user = (first * 7919) % #users
  non2xx = 0
  not_gzip = 0
end

function request()
  local u = users[next_user + 1]
  next_user = (next_user + 1) % #users
  return wrk.format("GET", "/v2/fhir/ExplanationOfBenefit/?patient=" .. u.patient, {
    ["Authorization"] = "Bearer " .. u.token,
    ["Accept-Encoding"] = "gzip",
    ["Accept"] = "application/fhir+json",
  })
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if (headers["content-encoding"] or headers["Content-Encoding"]) ~= "gzip" then
    not_gzip = not_gzip + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total, not_gzip_total = 0, 0
  for _, t in ipairs(threads) do
    non2xx_total = non2xx_total + t:get("non2xx")
    not_gzip_total = not_gzip_total + t:get("not_gzip")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("seconds %.2f\n", seconds))
  io.write(string.format("requests_per_second %.0f\n", summary.requests / seconds))
  io.write(string.format("bytes_per_request %.0f\n", summary.bytes / math.max(summary.requests, 1)))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency_p%s_ms %.2f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("latency_max_ms %.2f\n", latency.max / 1000))
  io.write(string.format("non_2xx %d\n", non2xx_total))
  io.write(string.format("not_gzip %d\n", not_gzip_total))
  local e = summary.errors
  io.write(string.format("socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
end
