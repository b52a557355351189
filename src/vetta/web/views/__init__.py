"""Server-rendered pages. Each view parses the request, calls one service or selector, renders."""
