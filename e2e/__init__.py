"""Run the real Atlas server and drive Debian's headless Chromium (tests and benchmark)."""
