"""Demo competitions: the seed's size (70 trades, 19 delegations, 1,091 judges) and a small one,
drawn from a fixed random seed so that two loads give the same competition (``build``), with
demo marks that look like a real competition's (``scores``)."""

from competition.services.demo.builder import SIZES, build
from competition.services.demo.scores import add_scores

__all__ = ["SIZES", "add_scores", "build"]
