"""PostgreSQL stopped (as a crash would) and started during a stream of posts over HTTP.

On a throwaway cluster of its own (app/localdb.py in a temporary directory, its own port,
synchronous_commit on as `morharita db up` leaves it), served by `morharita serve`; the
same run as `bench/durability.py`, with fewer posts.
"""

from __future__ import annotations

from bench.durability import run


def test_no_acknowledged_report_is_lost_across_a_crash_and_restart():
    result = run(posts=600, clients=3, workers=1, mode="immediate", down_s=2.0)
    assert result["lost"] == 0, result  # every 201 is a row
    assert result["unreported"] == 0, result  # every other row was reported to its sender
    assert result["statuses"].keys() <= {201, 503}, result  # no 500, no hang
    assert result["statuses"].get(503, 0) > 0, result  # the outage was seen
    assert result["slowest_refusal_s"] < 2.0, result
    assert result["refusals_without_retry_after"] == 0, result
    assert result["health_while_down"] == 503, result
    assert result["acknowledged_after_restart"] > 0, result  # it recovered by itself
