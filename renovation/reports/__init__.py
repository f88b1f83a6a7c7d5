"""PDF progress reports."""
