"""Peers of the benchmarks: the same work done with the bare minimum (plain Flask, the database driver, smtplib)."""
