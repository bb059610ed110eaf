-- wrk reports p50/p75/p90/p99 only; this prints the figures bench/run needs, p95 included,
-- as one JSON line (latencies in milliseconds).
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH {"rps": %.2f, "p50": %.2f, "p95": %.2f, "requests": %d, "bad_status": %d, "errors": %d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests, summary.errors.status, errors))
end
