"""What the sandbox costs per run: see __main__.py."""
