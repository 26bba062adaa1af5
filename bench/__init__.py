"""The debugger's benchmark suite: `python -m bench` (see run.py) prints every figure against its
budget. Each module measures one area and returns `bench.figures.Figure` rows."""
