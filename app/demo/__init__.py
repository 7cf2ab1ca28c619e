"""The Ankara demo: real boundaries and population, sample services, generated reports.

Not a use case of the product: the CLI's `morharita demo` and the benchmarks load it.
"""
