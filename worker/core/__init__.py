"""The pure core: typed records and functions over explicit state, with no I/O.

Nothing in this package reads the wall clock, touches the network or depends on
hash-iteration order, so the Kafka path and ``crosscheck replay`` compute the same
outputs from the same inputs.
"""
