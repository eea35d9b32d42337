-- What bench/scale.py reads from wrk: requests per second, latency percentiles in
-- microseconds, and the requests that failed or did not answer 2xx/3xx.
done = function(summary, latency, requests)
  io.write(string.format("rps %.2f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%d %d\n", p, latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format("errors %d\n", e.connect + e.read + e.write + e.status + e.timeout))
end
