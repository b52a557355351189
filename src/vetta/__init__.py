"""Vetta: pre-vet AI engineers on real, sandboxed work samples."""

__version__ = "0.1.0"
