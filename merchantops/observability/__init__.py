"""Operations: Prometheus metrics (`metrics`), OpenTelemetry traces (`tracing`).

Imports nothing of ours, so every layer may report into it; the HTTP side (`/metrics`, the
request middleware, readiness) is in `merchantops/api/observe.py` and `api/health.py`.
"""
