-- wrk script: sends the deliveries from a Lua table written by load_requests.py,
-- in rotation, and counts the response statuses.
--
-- Usage: wrk ... -s scripts/load.lua -- REQUESTS_FILE
-- At the end it prints one line `RESULT {json}` with the totals and latency
-- percentiles in microseconds.

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local deliveries = dofile(args[1])
  requests = {}
  for _, delivery in ipairs(deliveries) do
    local body = delivery.body or string.rep("a", delivery.oversized)
    local headers = {
      ["Content-Type"] = "application/json",
      ["X-ReachCell-Signature"] = delivery.header,
    }
    table.insert(requests, wrk.format("POST", "/webhooks/reachcell", headers, body))
  end
  -- Each thread starts at another point of the rotation.
  next_request = (thread_index * 7) % #requests
  statuses = {}
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests_summary)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local status_parts = {}
  for status, count in pairs(counts) do
    table.insert(status_parts, string.format('"%d": %d', status, count))
  end
  table.sort(status_parts)

  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.2f, "requests_per_second": %.1f, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "non_2xx_3xx": %d}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    table.concat(status_parts, ", ")))
end
