"""Sending pace shared by every worker process: one provider account's throughput."""
