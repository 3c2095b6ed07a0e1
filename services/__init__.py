"""The five services of the klantreis; each runs as its own process with its own database."""
