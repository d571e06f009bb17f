"""Thin faust agents: read state, call one core function, send, write state back."""
