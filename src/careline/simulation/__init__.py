"""The call-centre simulator: a clinic network's day at simulated time, routed by
the real routing core, measured per queue and per priority."""
