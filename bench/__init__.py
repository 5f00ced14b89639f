"""Benchmark scripts and the synthetic project generator (never mixed into the real register)."""
