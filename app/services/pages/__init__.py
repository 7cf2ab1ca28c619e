"""What the server-rendered pages need: page settings, headers and per-page configuration."""
