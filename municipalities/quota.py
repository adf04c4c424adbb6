"""The quota key (fördelningsnyckel) of the collaboration plan, as a pure function."""


def quota_from_population(population: int) -> int:
    """Return how many cases a municipality of ``population`` takes and hands over per period.

    Under 10 000 inhabitants: 1; 10 000 to 20 000 (both included): 2; over 20 000: 3.
    """
    if population < 0:
        raise ValueError("population cannot be negative")
    if population < 10_000:
        return 1
    if population <= 20_000:
        return 2
    return 3
