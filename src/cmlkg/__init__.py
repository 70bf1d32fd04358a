"""cmlkg: a knowledge graph of chronic myeloid leukemia treatment evidence."""

__version__ = "0.1.0"
